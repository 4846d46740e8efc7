"""Core functions behind the Learn page: emergence metrics, the least-squares family of a
multiplicative law, Kaplan's overfitting threshold. Checked against closed forms and the papers."""

import math

import numpy as np
import pytest

from scaling_core.emergence import (
    crossing,
    exact_match_accuracy,
    loss_for_exact_match,
    token_edit_distance,
    token_probability,
)
from scaling_core.forms import fit_multiplicative
from scaling_core.identifiability import identified_count, log_linear_family
from scaling_core.io import load_tutorial_runs
from scaling_core.presets import KAPLAN_OVERFIT_TOLERANCE, PRESETS

# --- emergence (Schaeffer et al. 2023, Sec. 2) ------------------------------------------------


def test_exact_match_is_the_product_of_token_probabilities():
    L = np.array([2.0, 0.5, 0.1, 0.01])
    k = np.array([[1], [5], [20]])
    p = np.exp(-L)
    np.testing.assert_allclose(token_probability(L), p, rtol=1e-15)
    np.testing.assert_allclose(exact_match_accuracy(L, k), p[None, :] ** k, rtol=1e-12)
    # Edit distance: k tokens, each wrong with probability 1 - p.
    np.testing.assert_allclose(token_edit_distance(L, k), k * (1 - p[None, :]), rtol=1e-12)
    # One token: exact match is the token probability itself.
    np.testing.assert_allclose(exact_match_accuracy(L, 1), p, rtol=1e-15)


def test_loss_for_exact_match_inverts_it():
    k = np.array([1, 3, 10, 30])
    L = loss_for_exact_match(0.5, k)
    np.testing.assert_allclose(exact_match_accuracy(L, k), 0.5, rtol=1e-12)
    assert loss_for_exact_match(0.5, 10) == pytest.approx(math.log(2) / 10)


def test_rise_of_exact_match_against_scale_and_against_loss():
    """Schaeffer et al.'s toy: a per-token loss falling as a power law in N. Exact match over k
    tokens rises from 10% to 90% over the same span of log N for every k (only later for larger
    k), while the loss falls by just ln(9)/k nats across that rise."""
    N = np.logspace(10, 20, 20001)
    loss = (1e13 / N) ** 0.5
    spans, starts = [], []
    for k in (1, 10, 100):
        lo, hi = crossing(N, exact_match_accuracy(loss, k), [0.1, 0.9])
        spans.append(np.log10(hi / lo))
        starts.append(lo)
        drop = loss_for_exact_match(0.1, k) - loss_for_exact_match(0.9, k)
        assert drop == pytest.approx(math.log(9) / k, rel=1e-12)
    # Closed form: exp(-k L) = q  <=>  N = 1e13 (k / ln(1/q))^2, so the span is k-free.
    expected = 2 * np.log10(np.log(10) / np.log(1 / 0.9))
    np.testing.assert_allclose(spans, expected, rtol=1e-3)
    np.testing.assert_allclose(np.log10(starts[1] / starts[0]), 2.0, rtol=1e-3)  # k x10 -> N x100


def test_crossing_interpolates_in_log_x_and_reports_misses():
    x = np.array([1.0, 10.0, 100.0])
    y = np.array([0.0, 0.5, 1.0])
    np.testing.assert_allclose(crossing(x, y, [0.25, 0.75]), [10**0.5, 10**1.5], rtol=1e-12)
    assert np.isnan(crossing(x, y, 2.0))  # never reached
    assert np.isnan(crossing(x, y, -1.0))  # already reached at the first point


# --- the tutorial's multiplicative law ---------------------------------------------------------


def tutorial_runs():
    return load_tutorial_runs()


def test_tutorial_example_is_the_tutorials_table():
    runs = tutorial_runs()
    np.testing.assert_array_equal(runs.N, [1e9, 1e10, 1e11])
    np.testing.assert_array_equal(runs.D, [1e9, 1e10, 1e11])
    np.testing.assert_array_equal(runs.C, [1e20, 1e21, 1e22])
    np.testing.assert_array_equal(runs.loss, [0.72, 0.78, 0.85])


def test_tutorial_design_identifies_two_of_four_constants():
    runs = tutorial_runs()
    assert identified_count(N=runs.N, D=runs.D, C=runs.C) == 2
    family = log_linear_family(runs.loss, N=runs.N, D=runs.D, C=runs.C)
    assert family.n_identified == 2 and family.free_directions == 2
    # A grid over N and D identifies both exponents; C = 6ND never separates from them.
    N, D = (a.ravel() for a in np.meshgrid([1e9, 1e10, 1e11], [1e9, 1e10, 1e11]))
    assert identified_count(N=N, D=D) == 3
    assert identified_count(N=N, D=D, C=6 * N * D) == 3


def test_every_member_fits_equally_and_lstsq_is_one_of_them():
    runs = tutorial_runs()
    family = log_linear_family(runs.loss, N=runs.N, D=runs.D, C=runs.C)
    X = np.column_stack([np.ones(3), np.log(runs.N), np.log(runs.D), np.log(runs.C)])
    lstsq, *_ = np.linalg.lstsq(X, np.log(runs.loss), rcond=None)
    np.testing.assert_allclose(family.particular, lstsq, atol=1e-10)
    members = family.member(N=np.linspace(-1, 1, 5)[:, None], C=np.array([-0.3, 0.0, 0.4]))  # (5, 3, 4)
    assert members.shape == (5, 3, 4)
    np.testing.assert_allclose(members[..., 1], np.broadcast_to(np.linspace(-1, 1, 5)[:, None], (5, 3)), atol=1e-12)
    fitted = family.predict(members[..., None, :], N=runs.N, D=runs.D, C=runs.C)  # (5, 3, runs)
    np.testing.assert_allclose(fitted, np.broadcast_to(fitted[0, 0], fitted.shape), rtol=1e-9)
    rss = np.sum((np.log(runs.loss) - np.log(fitted)) ** 2, axis=-1)
    np.testing.assert_allclose(rss, family.rss_log, atol=1e-14)
    # ...but off the runs (more data for the same model) they disagree.
    off = family.predict(members, N=1e10, D=1e12, C=6e22)
    assert np.ptp(off) > 1.0


def test_our_fitter_is_a_member_of_the_family():
    runs = tutorial_runs()
    fit = fit_multiplicative(runs.loss, N=runs.N, D=runs.D, C=runs.C)
    assert set(fit.params) == {"k", "b_N"} and "D dropped" in fit.note and "C dropped" in fit.note
    family = log_linear_family(runs.loss, N=runs.N, D=runs.D, C=runs.C)
    ours = family.member(D=0.0, C=0.0)
    assert ours[1] == pytest.approx(fit.params["b_N"], rel=1e-9)
    assert math.exp(ours[0]) == pytest.approx(fit.params["k"], rel=1e-9)


def test_identified_exponent_cannot_be_moved():
    N, D = (a.ravel() for a in np.meshgrid([1e9, 1e10, 1e11], [1e9, 1e10, 1e11]))
    y = 2.0 * N**-0.1 * D**-0.2
    family = log_linear_family(y, N=N, D=D)
    assert family.free_directions == 0
    np.testing.assert_allclose(family.particular, [math.log(2.0), -0.1, -0.2], atol=1e-10)
    with pytest.raises(ValueError, match="no least-squares solution"):
        family.member(N=0.5)


@pytest.mark.parametrize(
    "kwargs, match",
    [({}, "at least one variable"), ({"N": [1.0, -2.0]}, "positive"), ({"N": [1.0, 2.0], "D": [1.0]}, "one value")],
)
def test_bad_designs_are_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        log_linear_family([1.0, 2.0], **kwargs)


# --- Kaplan's overfitting threshold (Eq. 4.3, 4.4) ----------------------------------------------


def test_tokens_for_overfit_penalty_inverts_eq_4_3():
    law = PRESETS["kaplan2020"].law
    N = np.logspace(6, 11, 11)
    penalty = np.array([[0.01], [0.02], [0.1]])
    D = law.tokens_for_overfit_penalty(N, penalty)
    np.testing.assert_allclose(law.overfit_penalty(N, D), np.broadcast_to(penalty, D.shape), rtol=1e-10)


def test_overfit_threshold_matches_kaplan_eq_4_4():
    """Kaplan's rounded rule: D >~ 5e3 * N^0.74 keeps the penalty below 0.02 (Table 2 constants)."""
    law = PRESETS["kaplan2020"].law
    N = np.logspace(6, 10, 9)
    D = law.tokens_for_overfit_penalty(N, KAPLAN_OVERFIT_TOLERANCE)
    np.testing.assert_allclose(D, 5e3 * N**0.74, rtol=0.15)
