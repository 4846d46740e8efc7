"""Command line: `python -m scaling_core COMMAND ...`. Calls the same core functions as the pages."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .frontier import optimal_allocation
from .presets import PRESETS, resolve_law
from .quantities import parse_quantity


class UsageError(Exception):
    """Bad arguments or input: reported as one line on stderr with exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage dump
        raise UsageError(message)


def _quantity(text: str) -> float:
    try:
        value = parse_quantity(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive, got {text!r}")
    return value


def _law(text: str):
    try:
        return resolve_law(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _scalar_or_list(values: np.ndarray) -> Any:
    values = np.ravel(values).astype(float)
    out = [None if not np.isfinite(v) else float(v) for v in values]
    return out[0] if len(out) == 1 else out


def _emit(payload: Any, as_json: bool, text: Callable[[], str]) -> None:
    if as_json:
        print(json.dumps(payload, indent=2, allow_nan=False))
    else:
        print(text())


def _table(rows: list[dict[str, Any]], columns: Sequence[str]) -> str:
    def fmt(v: Any) -> str:
        return f"{v:.6g}" if isinstance(v, float) else str(v)

    cells = [[fmt(r[c]) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.rjust(w) for c, w in zip(columns, widths))]
    lines += ["  ".join(v.rjust(w) for v, w in zip(row, widths)) for row in cells]
    return "\n".join(lines)


def cmd_presets(args: argparse.Namespace) -> None:
    payload = [p.to_dict() for p in PRESETS.values()]
    _emit(
        payload,
        args.json,
        lambda: "\n".join(
            f"{p['name']:<24} {p['family']:<10} "
            + ", ".join(f"{k}={v:.6g}" for k, v in p["constants"].items())
            + f"\n{'':<24} {p['citation']}"
            for p in payload
        ),
    )


def cmd_optimal(args: argparse.Namespace) -> None:
    name, law = args.law
    alloc = optimal_allocation(law, np.array(args.compute))
    payload = {
        "law": name,
        "compute": _scalar_or_list(alloc.compute),
        "N_opt": _scalar_or_list(alloc.N_opt),
        "D_opt": _scalar_or_list(alloc.D_opt),
        "loss": _scalar_or_list(alloc.loss),
        "tokens_per_param": _scalar_or_list(alloc.tokens_per_param),
    }
    _emit(payload, args.json, lambda: f"law: {name}\n" + _table(alloc.records(), list(payload)[1:]))


def cmd_loss(args: argparse.Namespace) -> None:
    name, law = args.law
    try:
        N, D = np.broadcast_arrays(np.array(args.params), np.array(args.tokens))
    except ValueError:
        raise UsageError(
            "--params and --tokens need the same number of values (or one of them a single value)"
        ) from None
    loss = law.loss(N, D)
    payload = {"law": name, "params": _scalar_or_list(N), "tokens": _scalar_or_list(D), "loss": _scalar_or_list(loss)}
    rows = [{"params": float(n), "tokens": float(d), "loss": float(v)} for n, d, v in zip(N, D, loss)]
    _emit(payload, args.json, lambda: f"law: {name}\n" + _table(rows, ["params", "tokens", "loss"]))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m scaling_core", description="Neural scaling laws from the command line.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    law_help = f"a preset ({', '.join(PRESETS)}) or chinchilla:E=..,A=..,B=..,alpha=..,beta=.. or kaplan:N_c=..,D_c=..,alpha_N=..,alpha_D=.."

    p = sub.add_parser("presets", help="published constants with their sources")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_presets)

    p = sub.add_parser("optimal", help="compute-optimal N, D and loss for budgets C (FLOPs)")
    p.add_argument("--law", type=_law, required=True, help=law_help)
    p.add_argument("--compute", type=_quantity, nargs="+", required=True, help="training FLOPs, e.g. 1e24")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_optimal)

    p = sub.add_parser("loss", help="predicted loss (nats/token) at N parameters and D tokens")
    p.add_argument("--law", type=_law, required=True, help=law_help)
    p.add_argument("--params", type=_quantity, nargs="+", required=True, help="parameters N, e.g. 1e9 or 70B")
    p.add_argument("--tokens", type=_quantity, nargs="+", required=True, help="training tokens D, e.g. 2e10 or 1.4T")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_loss)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        args.func(args)
    except UsageError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and closed early
        sys.stderr.close()
        return 0
    return 0
