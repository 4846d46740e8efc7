"""Frozen forecasts: a prediction written down before the big run, to be scored after it.

A frozen forecast holds the form and its constants, the target (N, D, and the budget or run it
came from), the prediction with its 80% and 95% bands, how the bands were calibrated, the date,
and the SHA-256 of the runs it was fitted to (never the runs). It travels as JSON (a download)
or compactly in a link: the same fields under short keys, deflated and base64url-encoded.

Reading one back checks everything a link can carry wrongly: the encoding, every field's type
and range, the bands' order, and that the prediction is what the constants give at the target
(so an edited number is caught). Problems raise FreezeError with a message for the user.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import re
import zlib
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ..laws import JointLaw, law_from_params

VERSION = 1
MAX_LINK_CHARS = 4000  # a frozen forecast is ~400 characters; anything far longer is not one
MAX_JSON_BYTES = 20_000
CONSISTENCY_RTOL = 1e-6  # prediction vs constants at the target
FAMILY = {
    "chinchilla": "chinchilla",
    "chinchilla_tied": "chinchilla",
    "chinchilla_fixed_e": "chinchilla",
    "kaplan": "kaplan",
}
CALIBRATIONS = ("backtest", "bootstrap")
# Short keys for the link (the JSON download uses the long ones).
SHORT = {
    "version": "v",
    "form": "f",
    "constants": "k",
    "N": "n",
    "D": "d",
    "budget": "c",
    "target_name": "t",
    "predicted": "p",
    "pi80": "a",
    "pi95": "b",
    "calibration": "cal",
    "date": "dt",
    "runs_sha256": "h",
    "n_runs": "r",
}
LONG = {v: k for k, v in SHORT.items()}


class FreezeError(ValueError):
    """A frozen forecast that cannot be read; the message says what is wrong with it."""


def runs_sha256(N: ArrayLike, D: ArrayLike, loss: ArrayLike) -> str:
    """SHA-256 of the fitted runs as text: a header line "N,D,loss", then one line per run with
    each number written as Python's repr of the float (e.g. 190354176.0,1908932608.0,3.747479),
    in the order they were fitted."""
    lines = ["N,D,loss"] + [
        f"{n!r},{d!r},{v!r}" for n, d, v in zip(*(np.asarray(a, float).tolist() for a in (N, D, loss)))
    ]
    return hashlib.sha256(("\n".join(lines) + "\n").encode()).hexdigest()


@dataclass(frozen=True)
class FrozenForecast:
    form: str
    constants: dict[str, float]
    N: float
    D: float
    predicted: float
    pi80: tuple[float, float]
    pi95: tuple[float, float]
    calibration: str
    date: str  # ISO 8601, UTC, to the second
    runs_sha256: str
    n_runs: int
    budget: float | None = None  # FLOPs, when the target is a budget allocated by the law
    target_name: str | None = None  # when the target is a run of the table
    version: int = VERSION

    @property
    def C(self) -> float:
        return 6.0 * self.N * self.D

    @property
    def law(self) -> JointLaw:
        return law_from_params(FAMILY[self.form], self.constants)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["pi80"], out["pi95"] = list(self.pi80), list(self.pi95)
        out["C"] = self.C
        return {"kind": "scaling-law-forecast"} | out

    def to_link(self) -> str:
        """The forecast as one URL-safe token (no padding)."""
        data = {SHORT[k]: v for k, v in self.to_json().items() if k in SHORT and v is not None}
        raw = json.dumps(data, separators=(",", ":"), allow_nan=False).encode()
        return base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode().rstrip("=")

    def score(self, observed: float) -> Score:
        return score(self, observed)


@dataclass(frozen=True)
class Score:
    observed: float
    band: str  # "80" (inside the 80% band), "95" (inside 95%, outside 80%) or "outside"
    error_pct: float  # (observed - predicted) / predicted, in %
    error_nats: float  # observed - predicted
    error_log: float  # log(observed / predicted)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def score(frozen: FrozenForecast, observed: float) -> Score:
    if not (np.isfinite(observed) and observed > 0):
        raise FreezeError(f"the observed loss must be a positive number, got {observed!r}")
    if frozen.pi80[0] <= observed <= frozen.pi80[1]:
        band = "80"
    elif frozen.pi95[0] <= observed <= frozen.pi95[1]:
        band = "95"
    else:
        band = "outside"
    p = frozen.predicted
    return Score(float(observed), band, 100 * (observed - p) / p, observed - p, float(np.log(observed / p)))


def freeze(
    form: str,
    law: JointLaw,
    N: float,
    D: float,
    predicted: float,
    pi80: tuple[float, float],
    pi95: tuple[float, float],
    calibration: str,
    runs_hash: str,
    n_runs: int,
    *,
    budget: float | None = None,
    target_name: str | None = None,
    now: dt.datetime | None = None,
) -> FrozenForecast:
    now = now or dt.datetime.now(dt.UTC)
    frozen = FrozenForecast(
        form,
        law.params(),
        float(N),
        float(D),
        float(predicted),
        (float(pi80[0]), float(pi80[1])),
        (float(pi95[0]), float(pi95[1])),
        calibration,
        now.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        runs_hash,
        int(n_runs),
        None if budget is None else float(budget),
        target_name,
    )
    return validate(frozen.to_json())  # what is written is what a reader accepts


def from_link(token: str) -> FrozenForecast:
    """Read a forecast from a link's token; FreezeError says what is wrong with it."""
    token = token.strip()
    if not token or len(token) > MAX_LINK_CHARS or not re.fullmatch(r"[A-Za-z0-9_-]+", token):
        raise FreezeError("the forecast in the link is not a forecast token (it was cut short or changed)")
    try:
        packed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        inflater = zlib.decompressobj()
        raw = inflater.decompress(packed, MAX_JSON_BYTES)
        if inflater.unconsumed_tail or not inflater.eof:
            raise FreezeError("the forecast in the link is incomplete or too large")
        data = json.loads(raw)
    except (binascii.Error, ValueError, zlib.error) as err:
        if isinstance(err, FreezeError):
            raise
        raise FreezeError("the forecast in the link cannot be decoded (it was cut short or changed)") from None
    if not isinstance(data, dict):
        raise FreezeError("the forecast in the link is not a forecast record")
    return validate({LONG.get(k, k): v for k, v in data.items()})


def from_json(text: str | bytes) -> FrozenForecast:
    if len(text) > MAX_JSON_BYTES:
        raise FreezeError("the file is too large to be a frozen forecast")
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        raise FreezeError("the file is not JSON") from None
    if not isinstance(data, dict):
        raise FreezeError("the file is not a forecast record")
    return validate(data)


def _number(data: dict, key: str, *, positive: bool = True) -> float:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FreezeError(f"'{key}' must be a number")
    value = float(value)
    if not np.isfinite(value) or (positive and value <= 0):
        raise FreezeError(f"'{key}' must be a positive finite number")
    return value


def _pair(data: dict, key: str) -> tuple[float, float]:
    value = data.get(key)
    if not isinstance(value, list) or len(value) != 2:
        raise FreezeError(f"'{key}' must be a pair [low, high]")
    return _number({key: value[0]}, key), _number({key: value[1]}, key)


def validate(data: dict[str, Any]) -> FrozenForecast:
    """A FrozenForecast from its JSON fields, every field checked (see the module docstring)."""
    version = data.get("version")
    if version != VERSION:
        raise FreezeError(f"unknown forecast version {str(version)[:20]!r} (this app reads version {VERSION})")
    form = data.get("form")
    if form not in FAMILY:
        raise FreezeError(f"unknown form {str(form)[:40]!r}; expected one of {', '.join(FAMILY)}")
    constants = data.get("constants")
    if not isinstance(constants, dict) or not all(isinstance(k, str) for k in constants):
        raise FreezeError("'constants' must map each constant's name to its value")
    try:
        law = law_from_params(FAMILY[form], {k: _number(constants, k) for k in constants})
    except ValueError as err:
        raise FreezeError(f"the constants do not make a {FAMILY[form]} law: {err}") from None
    N, D, predicted = _number(data, "N"), _number(data, "D"), _number(data, "predicted")
    pi80, pi95 = _pair(data, "pi80"), _pair(data, "pi95")
    if not (pi95[0] <= pi80[0] <= predicted <= pi80[1] <= pi95[1]):
        raise FreezeError(
            "the bands must nest around the prediction (95% low <= 80% low <= prediction <= 80% high <= 95% high)"
        )
    expected = float(law.loss(N, D))
    if not abs(expected - predicted) <= CONSISTENCY_RTOL * abs(expected):
        raise FreezeError(
            f"the prediction {predicted:.6g} is not what the constants give at the target ({expected:.6g}): "
            "the forecast was changed after it was frozen"
        )
    calibration = data.get("calibration")
    if calibration not in CALIBRATIONS:
        raise FreezeError(f"unknown calibration {str(calibration)[:20]!r}")
    date = data.get("date")
    try:
        if not isinstance(date, str) or len(date) > 40:
            raise ValueError
        parsed = dt.datetime.fromisoformat(date.replace("Z", "+00:00"))
    except ValueError:
        raise FreezeError("'date' must be an ISO 8601 date and time") from None
    digest = data.get("runs_sha256")
    if not isinstance(digest, str) or not re.fullmatch(r"[0-9a-f]{64}", digest):
        raise FreezeError("'runs_sha256' must be 64 hexadecimal digits")
    n_runs = data.get("n_runs")
    if isinstance(n_runs, bool) or not isinstance(n_runs, int) or not 1 <= n_runs <= 10**7:
        raise FreezeError("'n_runs' must be a positive whole number")
    budget = data.get("budget")
    if budget is not None:
        budget = _number(data, "budget")
        if not abs(6.0 * N * D - budget) <= 1e-6 * budget:
            raise FreezeError("the target's N and D do not spend its budget (C = 6ND)")
    name = data.get("target_name")
    if name is not None and (not isinstance(name, str) or len(name) > 200):
        raise FreezeError("'target_name' must be a short text")
    return FrozenForecast(
        form,
        law.params(),
        N,
        D,
        predicted,
        pi80,
        pi95,
        calibration,
        parsed.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if parsed.tzinfo else date,
        digest,
        n_runs,
        budget,
        name,
    )
