"""Athanor's Python client: experiments, runs, scalars, histograms, images and hparams as pandas
DataFrames, and metric checks for CI, from an Athanor server's REST API.

    from athanor import Athanor
    athanor = Athanor("http://127.0.0.1:8080")
    athanor.scalars("my-experiment", tags=["loss"])
"""

from .client import Athanor
from .errors import (AthanorError, BadRequest, CheckFailed, Forbidden, LoginRequired, NotFound, ServerError,
                     Unauthorized, Unreachable)

__all__ = ["Athanor", "AthanorError", "BadRequest", "CheckFailed", "Forbidden", "LoginRequired", "NotFound",
           "ServerError", "Unauthorized", "Unreachable"]
__version__ = "0.1.0"
