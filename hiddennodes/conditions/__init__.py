"""Digits drawn as customers send them: scans, phone photos, pens, papers and light, each condition at a few
strengths (``catalogue``), drawn with the pen of ``pen`` on the paper of ``sheet`` as scans (``scans``), photos
(``photos``) and kinds of paper (``papers``), down to the file's bytes. Imports the foundations and ``data``."""
