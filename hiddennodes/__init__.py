"""Shared, side-effect-free code for the hidden-node study pipeline.

Nothing in this package reads or writes files but ``hiddennodes.files`` (and the
commands of ``cli``): the scripts in ``stages/`` do that and call these functions
with arrays, bytes and plain values.

The package is a few things, each a subpackage; a module imports only from its own
subpackage and from those above it in this order (tests/test_layout.py holds it):

1. the foundations, modules of this folder: the errors below, ``files`` (the only
   module that opens a file), ``parallel`` (work side by side), ``words`` (numbers
   into words), ``image_bytes`` and ``strokes`` (a pen made wider or narrower);
2. ``data``: the datasets, their IDX files and the checks they pass;
3. ``config``: params.yaml read into a frozen, checked config;
4. ``network``: the Keras model, its compiled training loop and the distortions it
   trains on, and the trained network run in NumPy with its file;
5. ``reading``: a customer's picture read as digits, or refused with a reason;
6. ``conditions``: digits drawn as customers' scans and phone photos;
7. ``interpret``: what each hidden node responds to;
8. ``evaluate``: how well the networks read: classification, calibration,
   robustness, customers' pictures, statistics, the headline numbers;
9. ``figures``: arrays in, a matplotlib Figure out;
10. ``report``: the report's findings, summary, tables and page;
11. ``explorer``: the explorer page and its script;
12. ``cli``: the commands a user runs (``hiddennodes-predict``, ``hiddennodes-sweep``).
"""


class PipelineError(Exception):
    """An error whose message is one sentence a user can act on."""


class ImageError(PipelineError, ValueError):
    """A picture that cannot be read as digits; the message is one sentence saying why."""


__all__ = ["ImageError", "PipelineError"]
