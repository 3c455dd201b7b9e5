"""Shared, side-effect-free code for the hidden-node study pipeline.

Nothing in this package reads or writes files: the scripts in ``stages/`` do
that and call these functions with arrays, bytes and plain values.
"""


class PipelineError(Exception):
    """An error whose message is one sentence a user can act on."""


class ImageError(PipelineError, ValueError):
    """A picture that cannot be read as digits; the message is one sentence saying why."""


__all__ = ["ImageError", "PipelineError"]
