"""The explorer page: one self-contained HTML file (``page``) built from ``web/``'s template, script and style,
that runs each network live in the browser. Imports anything above it but ``cli``."""
