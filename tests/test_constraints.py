"""Constrained Chinchilla forms (issue 7, section 2): fixed constants, alpha = beta, bounds.

Each constrained fit recovers its constants from runs drawn from a law that satisfies the
constraint; released, it is the free fit; its objective is never worse than scipy's L-BFGS-B
(tests/reference_fit.py, written independently) from the same starts under the same
constraint; bounds hold in the fit and in both bootstraps; the command line takes the flags.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest

from apptest_helpers import ROOT
from reference_fit import huber_objective_and_gradient, scipy_constrained_fit
from scaling_core.analysis import FitError, FitOptions, run_fit
from scaling_core.constraints import (
    CHINCHILLA_FORMS,
    FREE,
    Constraint,
    ConstraintError,
    constraint_for_form,
    form_name,
)
from scaling_core.extrapolate import residual_bootstrap
from scaling_core.fit import fit_chinchilla, hoffmann_start_grid, refit, top_loss_mask
from scaling_core.io import load_epoch_runs
from scaling_core.laws import ChinchillaLaw
from scaling_core.synthetic import isoflop_design, noisy_losses
from scaling_core.uncertainty import bootstrap_chinchilla


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scaling_core", *args], cwd=ROOT, capture_output=True, text=True)


TIED_LAW = ChinchillaLaw(E=1.8, A=480.0, B=2100.0, alpha=0.35, beta=0.35)
LAW = ChinchillaLaw(E=1.75, A=420.0, B=1800.0, alpha=0.33, beta=0.37)


def _runs(law: ChinchillaLaw, sigma: float, seed: int = 0):
    """96 runs of an IsoFLOP sweep (12 budgets, 1e18..1e21 FLOPs, 8 sizes), log-normal noise."""
    N, D = isoflop_design(np.logspace(18, 21, 12), sizes_per_budget=8)
    loss = law.loss(N, D) if sigma == 0 else noisy_losses(law, N, D, sigma, np.random.default_rng(seed))
    return N, D, loss


@pytest.fixture(scope="module")
def epoch_kept():
    runs = load_epoch_runs()
    keep = top_loss_mask(runs.loss, 5)
    return runs.N[keep], runs.D[keep], runs.loss[keep]


# --------------------------------------------------------------------------------------------
# The Constraint itself


@pytest.mark.parametrize(
    "build, kind",
    [
        (lambda: Constraint.of(fixed={"Q": 1.0}), "unknown_constant"),
        (lambda: Constraint.of(bounds={"gamma": (0, 1)}), "unknown_constant"),
        (lambda: Constraint.of(bounds={"alpha": (0.8, 0.1)}), "empty_bounds"),
        (lambda: Constraint.of(bounds={"alpha": (0.3, 0.3)}), "empty_bounds"),
        (lambda: Constraint.of(fixed={"E": 1.7}, bounds={"E": (1.8, 2.0)}), "fixed_outside_bounds"),
        (
            lambda: Constraint.of(fixed={"alpha": 0.5}, tie_exponents=True, bounds={"beta": (0, 0.4)}),
            "fixed_outside_bounds",
        ),
        (lambda: Constraint.of(fixed={"E": 0.0}), "fixed_not_positive"),
        (lambda: Constraint.of(fixed={"A": -3.0}), "fixed_not_positive"),
        (lambda: Constraint.of(fixed={"E": math.inf}), "fixed_not_finite"),
        (lambda: Constraint.of(bounds={"B": (-1.0, 5.0)}), "negative_bounds"),
        (lambda: Constraint.of(fixed={"alpha": 0.3, "beta": 0.4}, tie_exponents=True), "tie_conflict"),
        (lambda: Constraint.of(tie_exponents=True, bounds={"alpha": (0, 0.3), "beta": (0.4, 1)}), "tie_empty"),
        (lambda: Constraint.of(fixed={"E": 1.7, "A": 400, "B": 2000, "alpha": 0.3, "beta": 0.3}), "nothing_free"),
        (lambda: constraint_for_form("chinchilla_fixed_e"), "needs_e"),
        (lambda: constraint_for_form("kaplan_tied"), "unknown_form"),
    ],
)
def test_bad_constraints_raise_with_a_kind(build, kind):
    with pytest.raises(ConstraintError) as info:
        build()
    assert info.value.kind == kind
    assert str(info.value)  # a message for the command line


def test_constraint_is_hashable_normalised_and_counts_free_constants():
    one = Constraint.of(fixed={"E": 1.7, "alpha": 0.3}, bounds={"beta": (0.1, 0.9), "A": (1, 1e4)})
    two = Constraint((("alpha", 0.3), ("E", 1.7)), False, (("A", 1, 1e4), ("beta", 0.1, 0.9)))
    assert one == two and hash(one) == hash(two) and len({one, two}) == 1
    assert one.n_free == 3  # A, B, beta
    assert FREE.n_free == 5 and FREE.is_free
    assert constraint_for_form("chinchilla_tied").n_free == 4
    assert constraint_for_form("chinchilla_fixed_e", E=1.7).n_free == 4
    assert Constraint.of(fixed={"alpha": 0.3}, tie_exponents=True).n_free == 3  # beta follows alpha
    assert Constraint.of(fixed={"alpha": 0.3}, tie_exponents=True).held_fixed == {"alpha": 0.3, "beta": 0.3}
    for name in CHINCHILLA_FORMS:
        values = {"E": 1.7} if name == "chinchilla_fixed_e" else {}
        assert form_name(constraint_for_form(name, **values)) == name
    assert form_name(Constraint.of(bounds={"alpha": (0, 1)})) is None
    payload = Constraint.of(fixed={"E": 1.7}, tie_exponents=True, bounds={"alpha": (0.1, math.inf)}).to_json()
    assert json.loads(json.dumps(payload, allow_nan=False)) == {
        "fixed": {"E": 1.7},
        "tie_exponents": True,
        "bounds": {"alpha": [0.1, None]},
        "n_free": 3,
    }


def test_merging_constraints():
    merged = constraint_for_form("chinchilla_tied").merged(Constraint.of(fixed={"E": 1.7}, bounds={"alpha": (0, 0.5)}))
    assert merged == Constraint.of(fixed={"E": 1.7}, tie_exponents=True, bounds={"alpha": (0, 0.5)})
    narrowed = Constraint.of(bounds={"alpha": (0, 0.5)}).merged(Constraint.of(bounds={"alpha": (0.2, 0.9)}))
    assert narrowed.bound_values == {"alpha": (0.2, 0.5)}
    with pytest.raises(ConstraintError):
        Constraint.of(fixed={"E": 1.7}).merged(Constraint.of(fixed={"E": 1.8}))


def test_grid_projected_onto_the_constraint_is_deduplicated():
    grid = hoffmann_start_grid()
    tied = constraint_for_form("chinchilla_tied").project(grid, unique=True)
    # alpha, beta in {0, 0.5, ..., 2}: their means take 9 values; a, b: 6 each; e: 5.
    assert tied.shape == (9 * 6 * 6 * 5, 5)
    np.testing.assert_array_equal(tied[:, 1], tied[:, 3])
    fixed_e = constraint_for_form("chinchilla_fixed_e", E=1.7).project(grid, unique=True)
    assert fixed_e.shape == (6 * 5 * 6 * 5, 5)
    assert np.all(fixed_e[:, 4] == np.log(1.7))
    bounded = Constraint.of(bounds={"alpha": (0.1, 0.8), "E": (1.0, 2.0)}).project(grid, unique=True)
    assert bounded[:, 1].min() == 0.1 and bounded[:, 1].max() == 0.8
    assert np.exp(bounded[:, 4]).min() == pytest.approx(1.0) and np.exp(bounded[:, 4]).max() == pytest.approx(2.0)
    # Projecting twice changes nothing.
    np.testing.assert_array_equal(constraint_for_form("chinchilla_tied").project(tied), tied)


# --------------------------------------------------------------------------------------------
# Fits under a constraint


@pytest.mark.parametrize(
    "constraint, law",
    [
        (constraint_for_form("chinchilla_tied"), TIED_LAW),
        (constraint_for_form("chinchilla_fixed_e", E=LAW.E), LAW),
        (Constraint.of(fixed={"E": TIED_LAW.E}, tie_exponents=True), TIED_LAW),
        (Constraint.of(bounds={"alpha": (0.2, 0.5), "B": (100.0, 1e4), "E": (1.0, 3.0)}), LAW),
    ],
    ids=["tied", "fixed_e", "fixed_e_tied", "bounded"],
)
def test_constrained_fit_recovers_its_constants(constraint, law):
    # Exact runs: the constants themselves.
    N, D, exact = _runs(law, 0.0)
    fit = fit_chinchilla(N, D, exact, constraint=constraint)
    assert fit.constraint == constraint and fit.n_free == constraint.n_free
    assert fit.objective < 1e-20
    for name, value in law.params().items():
        assert getattr(fit.law, name) == pytest.approx(value, rel=1e-6), name
    # 0.2% log-normal noise: close to them. Observed worst relative errors over noise seeds 1-3:
    # E 0.7%, exponents 1.8%, A 7%, B 14% (free-like bounded case; the constrained ones less).
    noisy = noisy_losses(law, N, D, 0.002, np.random.default_rng(1))
    fit = fit_chinchilla(N, D, noisy, constraint=constraint)
    for name, value in law.params().items():
        rel = 0.025 if name in ("E", "alpha", "beta") else 0.2
        assert getattr(fit.law, name) == pytest.approx(value, rel=rel), name
    if constraint.tie_exponents:
        assert fit.law.alpha == fit.law.beta
    for name, value in constraint.fixed:
        assert getattr(fit.law, name) == pytest.approx(value, rel=1e-12)


def test_released_constraint_is_the_free_fit():
    N, D, loss = _runs(LAW, 0.01, seed=3)
    free = fit_chinchilla(N, D, loss)
    assert free.constraint == FREE and free.n_free == 5
    # Bounds that do not bind, and a value fixed where the free fit put it, change nothing.
    p = free.law.params()
    for released in (
        Constraint.of(bounds={"alpha": (0.0, 5.0), "beta": (-1.0, 3.0), "E": (0.1, 10.0), "A": (0, 1e12)}),
        Constraint.of(fixed={"E": p["E"]}),
    ):
        fit = fit_chinchilla(N, D, loss, constraint=released)
        assert fit.objective == pytest.approx(free.objective, rel=1e-9)
        for name, value in p.items():
            assert getattr(fit.law, name) == pytest.approx(value, rel=1e-5), name
    # A constraint that does bind costs objective.
    tied = fit_chinchilla(N, D, loss, constraint=constraint_for_form("chinchilla_tied"))
    assert tied.objective > free.objective * (1 + 1e-6)


CONSTRAINTS_VS_SCIPY = {
    "tied": ({}, True, {}),
    "fixed_e": ({"E": 1.7}, False, {}),
    "fixed_e_tied": ({"E": 1.85}, True, {}),
    "bounded_active": ({}, False, {"alpha": (0.1, 0.3), "A": (0, 300.0)}),
    "fixed_alpha_bounded_e": ({"alpha": 0.3}, False, {"E": (1.5, 1.75)}),
}


@pytest.mark.parametrize("name", list(CONSTRAINTS_VS_SCIPY))
def test_objective_never_worse_than_scipy_from_the_same_starts(epoch_kept, name):
    fixed, tie, bounds = CONSTRAINTS_VS_SCIPY[name]
    N, D, loss = epoch_kept
    starts = hoffmann_start_grid()[::150]  # 30 starts of the grid, the same for both (scipy is slow)
    constraint = Constraint.of(fixed, tie, bounds)
    fit = fit_chinchilla(N, D, loss, starts=starts, constraint=constraint)
    theta_ref, objective_ref = scipy_constrained_fit(N, D, loss, starts, fixed=fixed, tie=tie, bounds=bounds)
    assert fit.objective <= objective_ref * (1 + 1e-9), (fit.objective, objective_ref)
    # The reported objective is the independent formula's at the reported constants.
    value, _ = huber_objective_and_gradient(np.array(fit.theta), np.log(N), np.log(D), np.log(loss), fit.delta)
    assert value == pytest.approx(fit.objective, rel=1e-9)
    # Both satisfy the constraint.
    for law_params in (
        fit.law.params(),
        ChinchillaLaw(*np.exp(theta_ref[[4, 0, 2]]), theta_ref[1], theta_ref[3]).params(),
    ):
        for n, v in fixed.items():
            assert law_params[n] == pytest.approx(v, rel=1e-9)
        for n, (lo, hi) in bounds.items():
            assert lo * (1 - 1e-12) <= law_params[n] <= hi * (1 + 1e-12), n
        if tie:
            assert law_params["alpha"] == pytest.approx(law_params["beta"], rel=1e-9)


def test_bounds_hold_and_an_active_bound_is_reached_exactly(epoch_kept):
    N, D, loss = epoch_kept
    free = fit_chinchilla(N, D, loss)
    # The free optimum has alpha ~ 0.347 and A ~ 478: both bounds below bind.
    constraint = Constraint.of(bounds={"alpha": (0.1, 0.3), "A": (0, 300.0)})
    fit = fit_chinchilla(N, D, loss, constraint=constraint)
    assert fit.law.alpha == 0.3  # exactly on its bound, not near it
    assert fit.law.A <= 300.0 * (1 + 1e-12)
    assert fit.objective > free.objective
    for optimum in fit.local_optima:
        assert 0.1 <= optimum.law.alpha <= 0.3 and optimum.law.A <= 300.0 * (1 + 1e-12)
    # Bootstrap refits stay inside the bounds too.
    runs = load_epoch_runs()
    bs = bootstrap_chinchilla(N, D, loss, fit, n_resamples=60, seed=0)
    assert np.all((bs.column("alpha") >= 0.1) & (bs.column("alpha") <= 0.3))
    assert np.all(bs.column("A") <= 300.0 * (1 + 1e-12))
    assert bs.converged.mean() > 0.95
    del runs


def test_bootstraps_refit_under_the_fits_constraint():
    N, D, loss = _runs(TIED_LAW, 0.01, seed=5)
    tied = fit_chinchilla(N, D, loss, constraint=constraint_for_form("chinchilla_tied"), list_optima=False)
    bs = bootstrap_chinchilla(N, D, loss, tied, n_resamples=100, seed=0)
    np.testing.assert_array_equal(bs.column("alpha"), bs.column("beta"))
    assert bs.column("alpha").std() > 0  # the tied exponent itself still moves
    fixed = fit_chinchilla(N, D, loss, constraint=constraint_for_form("chinchilla_fixed_e", E=1.8), list_optima=False)
    bs = bootstrap_chinchilla(N, D, loss, fixed, n_resamples=100, seed=0)
    assert np.all(bs.column("E") == pytest.approx(1.8, rel=1e-12))
    # Residual bootstrap (Extrapolate's bands): the same.
    model = residual_bootstrap(N, D, loss, tied, n_resamples=60, seed=0)
    np.testing.assert_array_equal(model.theta_boot[:, 1], model.theta_boot[:, 3])
    np.testing.assert_array_equal(model.theta_inner[..., 1], model.theta_inner[..., 3])
    model = residual_bootstrap(N, D, loss, fixed, n_resamples=60, seed=0)
    assert np.all(np.exp(model.theta_boot[:, 4]) == pytest.approx(1.8, rel=1e-12))
    # A constraint narrows the band: fixing E removes the spread E brings far out.
    free = fit_chinchilla(N, D, loss, list_optima=False)
    far = ([1e12], [2e13])
    width = {}
    for key, f in (("free", free), ("fixed", fixed)):
        lo, hi = residual_bootstrap(N, D, loss, f, n_resamples=200, seed=0).bands(*far).confidence[0.95]
        width[key] = float(hi[0] - lo[0])
    assert width["fixed"] < width["free"]


# --------------------------------------------------------------------------------------------
# Warm-started refits (moving E or a cutoff on a page)


def test_refit_after_moving_a_fixed_e_matches_a_full_fit(epoch_kept):
    N, D, loss = epoch_kept
    first = fit_chinchilla(N, D, loss, constraint=constraint_for_form("chinchilla_fixed_e", E=1.70))
    assert first.warm_starts and len(first.warm_starts[0]) == 5
    for e in (1.72, 1.80):
        moved = constraint_for_form("chinchilla_fixed_e", E=e)
        quick = refit(first, N, D, loss, constraint=moved)
        full = fit_chinchilla(N, D, loss, constraint=moved)
        assert quick.constraint == moved and quick.law.E == e
        assert quick.n_starts < 40
        assert quick.objective <= full.objective * (1 + 1e-9), (e, quick.objective, full.objective)


def test_refit_after_moving_a_cutoff_matches_a_full_fit(epoch_kept):
    N, D, loss = epoch_kept
    C = 6 * N * D
    below = C < np.quantile(C, 0.8)
    first = fit_chinchilla(N[below], D[below], loss[below], list_optima=False)
    wider = C < np.quantile(C, 0.85)
    quick = refit(first, N[wider], D[wider], loss[wider])
    full = fit_chinchilla(N[wider], D[wider], loss[wider])
    assert quick.n_runs == wider.sum()
    assert quick.objective <= full.objective * (1 + 1e-9), (quick.objective, full.objective)
    # Never worse than the previous optimum carried over to the new runs.
    carried, _ = huber_objective_and_gradient(
        np.array(first.theta), np.log(N[wider]), np.log(D[wider]), np.log(loss[wider]), first.delta
    )
    assert quick.objective <= carried


# --------------------------------------------------------------------------------------------
# run_fit and the command line


def test_run_fit_named_forms_and_json():
    runs = load_epoch_runs()
    tied = run_fit(runs, FitOptions(form="chinchilla_tied", exclude_top_loss=5)).to_json()
    assert tied["form"] == "chinchilla_tied" and tied["n_constants"] == 4
    assert tied["constraint"]["tie_exponents"] is True
    assert tied["params"]["alpha"] == tied["params"]["beta"]
    fixed = run_fit(
        runs, FitOptions(form="chinchilla_fixed_e", exclude_top_loss=5, constraint=Constraint.of(fixed={"E": 1.7}))
    ).to_json()
    assert fixed["params"]["E"] == 1.7 and fixed["constraint"]["fixed"] == {"E": 1.7}
    free = run_fit(runs, FitOptions(exclude_top_loss=5)).to_json()
    assert free["n_constants"] == 5 and free["constraint"]["n_free"] == 5
    with pytest.raises(FitError, match="needs a value for E"):
        run_fit(runs, FitOptions(form="chinchilla_fixed_e"))
    with pytest.raises(FitError, match="Chinchilla form only"):
        run_fit(runs, FitOptions(form="kaplan", constraint=Constraint.of(fixed={"E": 1.7})))


def test_cli_constraint_flags():
    done = cli(
        "fit", "builtin:epoch", "--exclude-top-loss", "5", "--fix", "E=1.7", "--tie", "alpha=beta",
        "--bound", "alpha=0.1:0.8", "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["params"]["E"] == 1.7 and out["params"]["alpha"] == out["params"]["beta"]
    assert 0.1 <= out["params"]["alpha"] <= 0.8
    assert out["constraint"] == {
        "fixed": {"E": 1.7},
        "tie_exponents": True,
        "bounds": {"alpha": [0.1, 0.8]},
        "n_free": 3,
    }
    # The same fit through the core.
    runs = load_epoch_runs()
    core = run_fit(
        runs,
        FitOptions(exclude_top_loss=5, constraint=Constraint.of({"E": 1.7}, True, {"alpha": (0.1, 0.8)})),
    )
    assert out["params"] == pytest.approx(core.fit.law.params(), rel=1e-12)
    named = json.loads(
        cli(
            "fit",
            "builtin:epoch",
            "--exclude-top-loss",
            "5",
            "--form",
            "chinchilla_fixed_e",
            "--fix",
            "E=1.7",
            "--json",
        ).stdout
    )
    assert named["form"] == "chinchilla_fixed_e"
    assert named["params"] == pytest.approx(
        json.loads(cli("fit", "builtin:epoch", "--exclude-top-loss", "5", "--fix", "E=1.7", "--json").stdout)["params"],
        rel=1e-12,
    )


@pytest.mark.parametrize(
    "flags, says",
    [
        (("--fix", "Q=1"), "unknown constant 'Q'"),
        (("--fix", "E"), "NAME=VALUE"),
        (("--fix", "E=abc"), "not a number"),
        (("--fix", "E=0"), "E must be positive"),
        (("--fix", "E=-1.5"), "E must be positive"),
        (("--bound", "alpha=0.8:0.1"), "lo < hi"),
        (("--bound", "alpha=0.5:0.5"), "lo < hi"),
        (("--bound", "alpha=0.5"), "LO:HI"),
        (("--fix", "E=1.7", "--bound", "E=1.8:2"), "outside its bounds"),
        (("--tie", "alpha=E"), "alpha=beta"),
        (("--form", "chinchilla_fixed_e"), "needs a value for E"),
        (("--form", "kaplan", "--fix", "E=1.7"), "Chinchilla form only"),
        (("--fix", "alpha=0.3", "--fix", "beta=0.4", "--tie", "alpha=beta"), "tied"),
    ],
)
def test_cli_constraint_errors_are_one_line_with_status_2(flags, says):
    done = cli("fit", "builtin:epoch", *flags, "--json")
    assert done.returncode == 2, done.stdout[:200]
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and says in lines[0], done.stderr
    assert "Traceback" not in done.stderr


# --------------------------------------------------------------------------------------------
# The Fit page (AppTest)

FIT = "pages/3_Fit.py"


def _page(query: dict):
    from apptest_helpers import no_exceptions, run_page

    at = run_page(FIT, {"boot": "0", **query}, timeout=180)
    no_exceptions(at)
    return at


def _constants_table(at):
    from ui.i18n import labels

    en = labels("en")
    for frame in at.dataframe:
        if en["col.constant"] in frame.value.columns:
            return frame.value.set_index(en["col.constant"])
    raise AssertionError("no constants table")


def test_fit_page_constraints_from_the_url_and_shown_with_the_result():
    from ui.i18n import labels

    en = labels("en")
    at = _page({"tie": "true", "fix": "E", "fix_E": "1.7"})
    assert not at.error, [e.value for e in at.error]
    assert at.checkbox(key="tie").value is True
    assert at.multiselect(key="fix").value == ["E"]
    assert at.number_input(key="fix_E").value == 1.7
    table = _constants_table(at)
    values = table[en["col.this_fit"]]
    assert float(values["E"]) == 1.7 and values["alpha"] == values["beta"]
    # The same fit as the core's.
    runs = load_epoch_runs()
    core = fit_chinchilla(runs.N, runs.D, runs.loss, exclude_top_loss=5, constraint=Constraint.of({"E": 1.7}, True))
    assert float(values["alpha"]) == pytest.approx(core.law.alpha, rel=1e-4)
    (summary,) = [i.value for i in at.info if "Constrained fit" in i.value]
    assert "α = β (tied)" in summary and "E fixed at 1.7" in summary and "3 of 5 constants" in summary


def test_fit_page_bounds_and_intervals_mark_fixed_constants():
    from ui.i18n import labels

    en = labels("en")
    at = _page({"boot": "200", "fix": "E", "fix_E": "1.8", "bound": "alpha", "lo_alpha": "0.1", "hi_alpha": "0.3"})
    assert not at.error, [e.value for e in at.error]
    table = _constants_table(at)
    assert table.loc["E", en["col.interval"]] == en["constraints.fixed_cell"]
    assert float(table.loc["alpha", en["col.this_fit"]]) == 0.3  # the free optimum (0.35) is beyond the bound
    lo, hi = (float(v) for v in table.loc["alpha", en["col.interval"]].split(" – "))
    assert 0.1 <= lo <= hi <= 0.3
    assert any("α ended on its bound (0.3)" in w.value for w in at.warning)


def test_fit_page_impossible_constraint_is_a_clear_message_in_chinese():
    from ui.i18n import labels

    zh = labels("zh")
    at = _page({"lang": "zh", "fix": "E", "fix_E": "1.7", "bound": "E", "lo_E": "1.8", "hi_E": "2.5"})
    (message,) = [e.value for e in at.error]
    assert message == zh["constraints.error.fixed_outside_bounds"].format(name="E", value="1.7", lo="1.8", hi="2.5")
    assert not at.get("plotly_chart"), "no fit is drawn for an impossible constraint"
    # Releasing the bound fits again (in English: AppTest formats options in its own thread's language).
    at = _page({"fix": "E", "fix_E": "1.7", "bound": "E", "lo_E": "1.8", "hi_E": "2.5"})
    assert [e.value for e in at.error] == [
        labels("en")["constraints.error.fixed_outside_bounds"].format(name="E", value="1.7", lo="1.8", hi="2.5")
    ]
    at.multiselect(key="bound").set_value([]).run()
    assert not at.error and len(at.get("plotly_chart")) == 3


def test_fit_page_bad_constraint_values_in_the_url_give_a_notice():
    at = _page({"fix": "E,Q", "fix_E": "-4", "tie": "maybe"})
    notices = [w.value for w in at.warning]
    assert any("`fix`" in n for n in notices) and any("`fix_E`" in n for n in notices)
    assert any("`tie`" in n for n in notices)
    assert not at.error and len(at.get("plotly_chart")) == 3
