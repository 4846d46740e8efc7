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


def _json_safe(value: Any) -> Any:
    """The payload with every non-finite float as null: strict JSON has no NaN or Infinity
    (a degenerate fit can give an infinite optimum)."""
    if isinstance(value, float):
        return value if np.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    return value


def _emit(payload: Any, as_json: bool, text: Callable[[], str] | None = None) -> None:
    """Print the payload as JSON, or as `text()` without --json (JSON either way when text is None)."""
    if as_json or text is None:
        print(json.dumps(_json_safe(payload), indent=2, allow_nan=False, ensure_ascii=False))
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


def load_runs(path: str, columns: dict[str, str | None], require_loss: bool = True, missing_loss_ok: bool = False):
    """A run table from a file, or `builtin:epoch` / `builtin:demo` / `builtin:olmo`; UsageError with one line otherwise."""
    return load_table(path, columns, require_loss, missing_loss_ok)[1]


def load_table(
    path: str,
    columns: dict[str, str | None],
    require_loss: bool = True,
    missing_loss_ok: bool = False,
    keep_copies: bool = False,
):
    """(the file's rows as read, the validated RunTable): see load_runs."""
    from .io import (
        EPOCH_CSV,
        ColumnMapping,
        TableError,
        detect_columns,
        olmo_frame,
        olmo_mapping,
        read_table,
        validate_runs,
    )

    try:
        mapping = None
        if path == "builtin:epoch":
            frame = read_table(EPOCH_CSV.read_bytes(), EPOCH_CSV.name)
        elif path == "builtin:olmo":
            frame = olmo_frame()
            mapping = olmo_mapping(frame)
        elif path == "builtin:demo":
            import pandas as pd

            from .synthetic import demo_runs

            frame = pd.DataFrame(demo_runs())
        else:
            try:
                with open(path, "rb") as handle:
                    data = handle.read()
            except OSError as err:
                raise UsageError(f"cannot read {path}: {err.strerror}") from None
            frame = read_table(data, path)
        mapping = mapping or detect_columns(frame)
        chosen = dict(mapping.columns)
        for role, name in columns.items():
            if name is not None:
                if name not in frame.columns:
                    raise UsageError(
                        f"no column {name!r} in {path} (columns: {', '.join(map(str, frame.columns))[:200]})"
                    )
                chosen[role] = name
        for role, candidates in mapping.ambiguous.items():
            if chosen.get(role) is None and role in ("N", "D", "C", "loss"):
                flag = {
                    "N": "--params-column",
                    "D": "--tokens-column",
                    "C": "--compute-column",
                    "loss": "--loss-column",
                }[role]
                raise UsageError(f"several columns could be {role}: {', '.join(candidates)}; choose one with {flag}")
        runs = validate_runs(
            frame,
            ColumnMapping(chosen),
            require_loss=require_loss,
            missing_loss_ok=missing_loss_ok,
            keep_copies=keep_copies,
        )
        return frame, runs
    except TableError as err:
        raise UsageError(str(err)) from None


def _add_table_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "file", help="CSV, TSV, JSON or JSON-lines file of runs; or builtin:epoch, builtin:demo, builtin:olmo"
    )
    p.add_argument("--params-column", help="column holding the parameter count N")
    p.add_argument("--tokens-column", help="column holding the training tokens D")
    p.add_argument("--compute-column", help="column holding the training FLOPs C")
    p.add_argument("--loss-column", help="column holding the loss")


def _columns(args: argparse.Namespace) -> dict[str, str | None]:
    return {"N": args.params_column, "D": args.tokens_column, "C": args.compute_column, "loss": args.loss_column}


def _number(text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"{what}: {text!r} is not a number") from None
    if np.isnan(value):
        raise UsageError(f"{what}: {text!r} is not a number")
    return value


def constraint_from_args(fix: Sequence[str], tie: Sequence[str], bound: Sequence[str]):
    """A Constraint from --fix NAME=VALUE, --tie alpha=beta and --bound NAME=LO:HI (either side
    may be empty: no bound there); UsageError with one line otherwise."""
    from .constraints import CONSTANTS, Constraint, ConstraintError

    def split(text: str, flag: str) -> tuple[str, str]:
        name, sep, value = text.partition("=")
        name = name.strip()
        if not sep or not name or not value.strip():
            raise UsageError(f"{flag} expects NAME=VALUE, got {text!r}")
        if name not in CONSTANTS:
            raise UsageError(f"{flag} {text}: unknown constant {name!r}; use one of {', '.join(CONSTANTS)}")
        return name, value.strip()

    fixed: dict[str, float] = {}
    for text in fix:
        name, value = split(text, "--fix")
        if name in fixed:
            raise UsageError(f"--fix {name} given twice")
        fixed[name] = _number(value, f"--fix {name}")
        if not np.isfinite(fixed[name]):
            raise UsageError(f"--fix {name}: the value must be finite, got {value!r}")
    for text in tie:
        if "".join(text.split()) not in ("alpha=beta", "beta=alpha"):
            raise UsageError(f"--tie expects alpha=beta (the only tie), got {text!r}")
    bounds: dict[str, tuple[float, float]] = {}
    for text in bound:
        name, value = split(text, "--bound")
        lo_text, sep, hi_text = value.partition(":")
        if not sep:
            raise UsageError(f"--bound {name} expects LO:HI (e.g. {name}=0.1:0.8), got {value!r}")
        lo = _number(lo_text, f"--bound {name} lower end") if lo_text.strip() else -np.inf
        hi = _number(hi_text, f"--bound {name} upper end") if hi_text.strip() else np.inf
        if name in bounds:
            raise UsageError(f"--bound {name} given twice")
        if name in ("E", "A", "B") and not lo_text.strip():
            lo = 0.0
        bounds[name] = (lo, hi)
    try:
        return Constraint.of(fixed, bool(tie), bounds)
    except ConstraintError as err:
        raise UsageError(str(err)) from None


def cmd_fit(args: argparse.Namespace) -> None:
    from .analysis import FitError, FitOptions, run_fit

    constraint = constraint_from_args(args.fix, args.tie, args.bound)
    runs = load_runs(args.file, _columns(args))
    options = FitOptions(
        form=args.form,
        huber_delta=args.huber_delta,
        exclude_top_loss=args.exclude_top_loss,
        bootstrap=args.bootstrap,
        seed=args.seed,
        x=args.x,
        budget=args.budget,
        constraint=constraint,
    )
    try:
        outcome = run_fit(runs, options)
    except FitError as err:
        raise UsageError(str(err)) from None
    payload = outcome.to_json()
    if runs.n_dropped:
        payload["dropped_rows"] = [i.text() for i in runs.issues]
    _emit(payload, args.json)


def cmd_extrapolate(args: argparse.Namespace) -> None:
    from .analysis import fit_warnings
    from .forecast import build_forecast, compare_forms
    from .forecast.calibration import describe
    from .forecast.candidates import forecast_forms
    from .forecast.freeze import runs_sha256
    from .forecast.report import (
        band_record,
        candidates_json,
        prediction_records,
        selection_json,
        split_runs,
    )
    from .frontier import optimal_allocation
    from .io import design_problem, target_rows

    frame, runs = load_table(
        args.file, _columns(args), require_loss=False, missing_loss_ok=True, keep_copies=args.keep_copies
    )
    if runs.loss is None:
        raise UsageError("no loss column: at least some runs need a loss to fit the law")
    if args.bootstrap < 20 or args.backtest_resamples < 20:
        raise UsageError("--bootstrap and --backtest-resamples need at least 20 refits")
    targets = target_rows(frame, runs)
    cutoff = args.fit_below if args.fit_below is not None else np.inf
    split = split_runs(runs.loss, targets, runs.C < cutoff, args.exclude_top_loss)
    train = split.train
    if train.sum() < 7:
        raise UsageError(f"only {int(train.sum())} runs with a loss below the cutoff; the forms need at least 7")
    if problem := design_problem(runs.N[train], runs.D[train], 5):
        raise UsageError(f"the runs to fit cannot support the forms: {problem}")
    fixed_e = args.fixed_e
    if args.fix:  # --fix E=1.7: the same as --fixed-e 1.7 (E is the one constant a candidate fixes)
        fixed = constraint_from_args(args.fix, [], []).fixed_values
        if set(fixed) != {"E"}:
            raise UsageError("extrapolate: --fix takes E only (the chinchilla_fixed_e candidate), e.g. --fix E=1.7")
        if fixed_e is not None and fixed_e != fixed["E"]:
            raise UsageError("--fixed-e and --fix E= disagree; give one")
        fixed_e = fixed["E"]
    forms = forecast_forms(fixed_e)
    if args.form not in ("auto", *(f.name for f in forms)):
        raise UsageError(f"--form {args.form} needs --fixed-e E (the irreducible loss to fix)")
    N, D, loss = runs.N[train], runs.D[train], runs.loss[train]
    comparison = compare_forms(
        N,
        D,
        loss,
        forms,
        delta=args.huber_delta,
        backtest_resamples=args.backtest_resamples,
        seed=args.seed,
        rows=runs.source_rows[train],
    )
    result = build_forecast(comparison, args.form, N, D, loss, n_resamples=args.bootstrap, seed=args.seed)
    law = result.law

    def records(mask: np.ndarray, observed: bool) -> list[dict[str, Any]]:
        return prediction_records(
            result,
            runs.N[mask],
            runs.D[mask],
            runs.C[mask],
            runs.names[mask],
            runs.source_rows[mask],
            runs.loss[mask] if observed else None,
        )

    payload: dict[str, Any] = {
        "form": result.form,
        "recommended": comparison.recommended,
        "fixed_e": fixed_e,
        "params": law.params(),
        "candidates": candidates_json(comparison),
        "selection": selection_json(comparison),
        "calibration": {"form": result.form, "applied": describe(result.calibration)} | result.calibration.to_json(),
        "fit_below": None if np.isinf(cutoff) else cutoff,
        "n_train": int(train.sum()),
        "excluded_rows": [int(r) for r in runs.source_rows[split.excluded]],
        "bootstrap": result.bands.n_resamples,
        "backtest_resamples": args.backtest_resamples,
        "seed": args.seed,
        "noise_sigma_log": result.bands.noise_sigma,
        "replicates": comparison.noise.to_json(),
        "copies": {"count": len(runs.copies), "kept": bool(args.keep_copies)},
        "runs_sha256": runs_sha256(N, D, loss),
    }
    # Rows without a loss, or marked as targets (a role column), are targets; a target whose
    # loss is known is also scored with the held-out runs.
    target_list = records(targets, observed=True)
    if args.target_params is not None or args.target_tokens is not None:
        if args.target_params is None or args.target_tokens is None:
            raise UsageError("give both --target-params and --target-tokens (or --target-compute)")
        N_t, D_t = args.target_params, args.target_tokens
        bands = result.predict([N_t], [D_t])
        target_list.append({"N": N_t, "D": D_t, "C": 6 * N_t * D_t} | band_record(bands, 0))
    if args.target_compute is not None:
        alloc = optimal_allocation(law, args.target_compute)
        N_s, D_s = result.bands.optimum_samples(args.target_compute)
        bands = result.predict([float(alloc.N_opt)], [float(alloc.D_opt)])
        target_list.append(
            {
                "C": args.target_compute,
                "N": float(alloc.N_opt),
                "D": float(alloc.D_opt),
                "N_interval95": [float(v) for v in np.nanpercentile(N_s, [2.5, 97.5])],
                "D_interval95": [float(v) for v in np.nanpercentile(D_s, [2.5, 97.5])],
            }
            | band_record(bands, 0)
        )
    payload["targets"] = target_list
    held = split.held
    payload["held_out"] = records(held, observed=True)
    if held.any():
        inside = {level: [h[f"in{level}"] for h in payload["held_out"]] for level in (80, 95)}
        payload["coverage"] = {str(level): float(np.mean(v)) for level, v in inside.items()}
    if warnings := fit_warnings(N, D, law, float(runs.C.max())):
        payload["warnings"] = warnings
    if runs.n_dropped:
        payload["dropped_rows"] = [i.text() for i in runs.issues]
    _emit(payload, args.json)


def _any_quantity(text: str) -> float:
    """Any finite quantity (70B, 1.4T, 3e21, -1): the plan itself says what range it accepts."""
    try:
        return parse_quantity(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _whole(text: str) -> int:
    value = _any_quantity(text)
    if value != int(value):
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}")
    return int(value)


def cmd_accelerators(args: argparse.Namespace) -> None:
    from .planning.hardware import accelerator_catalog

    payload = [a.to_dict() for a in accelerator_catalog().values()]
    _emit(
        payload,
        args.json,
        lambda: "\n".join(
            f"{a['key']:<15} {a['peak_flops'] / 1e12:>8.1f} TFLOP/s BF16 dense  "
            f"{a['memory_gb']:>5g} GB  {a['source_title']} ({a['verified']})"
            for a in payload
        ),
    )


def _plan_text(plan) -> str:
    out = plan.to_json()
    lines = [
        f"law: {plan.law.name} ({plan.mode})",
        f"compute: {out['compute']:.4g} FLOPs on {plan.count} x {plan.accelerator.name} at MFU {plan.mfu:g}",
        f"N: {out['N_opt']:.4g} params   D: {out['D_opt']:.4g} tokens   D/N: {out['tokens_per_param']:.1f}",
        f"loss: {'-' if out['loss'] is None else format(out['loss'], '.4f')} nats/token",
        f"time: {out['accelerator_hours']:.4g} accelerator-hours, {out['wall_days']:.3g} days"
        + ("" if out["cost"] is None else f", cost {out['cost']:.4g}"),
        "shape: {n_layer} layers, d_model {d_model}, {n_head} heads".format(**out["shape"]),
        "memory per accelerator (GB): " + ", ".join(f"{k} {v:.3g}" for k, v in out["memory_gb"].items()),
        f"min accelerators: {out['min_accelerators'] if out['min_accelerators'] is not None else 'none fits'}",
        f"lr (DeepSeek 2024): {out['lr']['deepseek2024']:.3g}   batch tokens: "
        + ", ".join(f"{k} {'-' if v is None else format(v, '.3g')}" for k, v in out["batch_tokens"].items()),
    ]
    for key in ("data_constrained", "inference_aware"):
        if out[key] is not None:
            lines.append(
                f"{key}: " + ", ".join(f"{k} {'-' if v is None else format(v, '.4g')}" for k, v in out[key].items())
            )
    return "\n".join(lines)


def cmd_plan(args: argparse.Namespace) -> None:
    from .planning.hardware import find_accelerator
    from .planning.plan import PlanError, plan_run, resolve_plan_law

    try:
        plan_law = resolve_plan_law(args.law)
        accelerator = find_accelerator(args.accelerator)
        plan = plan_run(
            plan_law,
            accelerator,
            args.count,
            mfu=args.mfu,
            days=args.days,
            compute=args.compute,
            target_loss=args.target_loss,
            params=args.params,
            price=args.price,
            unique_tokens=args.unique_tokens,
            inference_tokens=args.inference_tokens,
            seq_len=args.seq_len,
            micro_batch=args.micro_batch,
            recompute=args.recompute,
            zero=args.zero,
            vocab=args.vocab,
            tensor_parallel=args.tensor_parallel,
        )
    except (PlanError, ValueError) as err:
        raise UsageError(str(err)) from None
    _emit(plan.to_json(), args.json, lambda: _plan_text(plan))


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

    from .analysis import ALL_FORMS

    p = sub.add_parser("fit", help="fit a law to a table of runs")
    _add_table_arguments(p)
    p.add_argument("--form", choices=ALL_FORMS, default="chinchilla")
    p.add_argument(
        "--fix",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="Chinchilla forms: hold a constant (E, A, B, alpha, beta) at a value, e.g. E=1.7; repeatable",
    )
    p.add_argument(
        "--tie", action="append", default=[], metavar="alpha=beta", help="Chinchilla forms: fit one exponent for both"
    )
    p.add_argument(
        "--bound",
        action="append",
        default=[],
        metavar="NAME=LO:HI",
        help="Chinchilla forms: keep a constant within [LO, HI], e.g. alpha=0.1:0.8 (an empty side is open)",
    )
    p.add_argument("--exclude-top-loss", type=int, default=0, metavar="K", help="leave out the K highest-loss runs")
    p.add_argument("--huber-delta", type=_quantity, default=1e-3, help="Huber delta on log-loss (default 1e-3)")
    p.add_argument("--bootstrap", type=int, default=0, metavar="B", help="bootstrap resamples for intervals")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--x", choices=("N", "D", "C"), default="N", help="size variable for the single-variable forms")
    p.add_argument("--y", choices=("loss",), default="loss", help="metric for the single-variable forms")
    p.add_argument("--budget", type=_quantity, default=5.76e23, help="FLOPs for N_opt and D_opt (default 5.76e23)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_fit)

    from .forecast.candidates import FORECAST_FORMS

    p = sub.add_parser(
        "extrapolate", help="choose a form by backtest, fit below a cutoff, predict beyond it with calibrated bands"
    )
    _add_table_arguments(p)
    p.add_argument(
        "--form",
        choices=("auto", *FORECAST_FORMS),
        default="auto",
        help="the form to forecast with; auto (default): the one the backtest recommends",
    )
    p.add_argument(
        "--fixed-e", type=_quantity, metavar="E", help="irreducible loss for the chinchilla_fixed_e candidate"
    )
    p.add_argument("--fix", action="append", default=[], metavar="E=VALUE", help="the same as --fixed-e VALUE (E only)")
    p.add_argument("--fit-below", type=_quantity, help="fit only runs with C below this many FLOPs")
    p.add_argument("--keep-copies", action="store_true", help="keep exact copies (same N, D and loss) as runs")
    p.add_argument("--bootstrap", type=int, default=1000, metavar="B", help="residual-bootstrap refits (default 1000)")
    p.add_argument(
        "--backtest-resamples", type=int, default=100, metavar="B", help="bootstrap refits per backtest cutoff"
    )
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--exclude-top-loss", type=int, default=0, metavar="K")
    p.add_argument("--huber-delta", type=_quantity, default=1e-3)
    p.add_argument("--target-params", type=_quantity, help="predict at this N (with --target-tokens)")
    p.add_argument("--target-tokens", type=_quantity, help="predict at this D (with --target-params)")
    p.add_argument("--target-compute", type=_quantity, help="predict at this budget, allocated optimally")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_extrapolate)

    from .planning.memory import RECOMPUTATION
    from .planning.plan import DEFAULTS
    from .presets import ALLOCATIONS

    p = sub.add_parser("plan", help="plan a training run: size, tokens, loss, time, cost, memory, LR and batch")
    p.add_argument(
        "--law",
        required=True,
        help=law_help.replace(" or chinchilla:", f", an allocation rule ({', '.join(ALLOCATIONS)}) or chinchilla:", 1),
    )
    p.add_argument("--accelerator", default="h100", help="catalog key or prefix (see `accelerators`), default h100")
    p.add_argument("--count", type=_whole, default=1, help="number of accelerators (default 1)")
    p.add_argument(
        "--days", type=_any_quantity, help="wall-clock days on them: the budget is count x days x peak x MFU"
    )
    p.add_argument(
        "--mfu", type=_any_quantity, default=DEFAULTS["mfu"], help="model FLOPs utilisation, 0-1 (default 0.4)"
    )
    p.add_argument("--compute", type=_any_quantity, help="training FLOPs instead of --days")
    p.add_argument("--target-loss", type=_any_quantity, help="reverse mode: the least compute that reaches this loss")
    p.add_argument(
        "--params", type=_any_quantity, help="plan this model size (e.g. 7B) instead of the compute-optimal one"
    )
    p.add_argument("--price", type=_any_quantity, help="price per accelerator-hour (no default: yours)")
    p.add_argument(
        "--unique-tokens", type=_any_quantity, help="unique training tokens available (data-constrained optimum)"
    )
    p.add_argument("--inference-tokens", type=_any_quantity, help="lifetime inference tokens (inference-aware optimum)")
    p.add_argument("--seq-len", type=_whole, default=DEFAULTS["seq_len"], help="sequence length (default 4096)")
    p.add_argument(
        "--micro-batch", type=_whole, default=DEFAULTS["micro_batch"], help="micro-batch per accelerator (default 1)"
    )
    p.add_argument(
        "--recompute",
        choices=RECOMPUTATION,
        default=DEFAULTS["recompute"],
        help="activation recomputation (default selective)",
    )
    p.add_argument(
        "--zero",
        type=int,
        choices=(0, 1, 2, 3),
        default=DEFAULTS["zero"],
        help="ZeRO stage over all accelerators (default 1)",
    )
    p.add_argument(
        "--vocab", type=_whole, default=DEFAULTS["vocab"], help="vocabulary size for the embeddings (default 128000)"
    )
    p.add_argument(
        "--tensor-parallel",
        type=_whole,
        default=DEFAULTS["tensor_parallel"],
        help="tensor-parallel group size for the memory estimate (with sequence parallelism; default 1)",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_plan)

    p = sub.add_parser("accelerators", help="the accelerator catalog: peak dense BF16 FLOP/s, memory, sources")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_accelerators)
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
