import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dlmath.adamax import (
    adam_folded_updates,
    adam_step_supremum,
    adamax_step_bound,
    infinity_norm,
    infinity_norm_recursion,
    log_lp_moment_as_misprinted,
    logsumexp,
    lp_moment,
    lp_moment_direct,
    updates_for_gradients,
)
from dlmath.optimizers import Adam, Adamax

sequences = arrays(
    np.float64,
    st.tuples(st.integers(1, 12), st.integers(1, 3)),
    # no gradients below 1e-200 but 0: decayed by beta2^t they become
    # subnormal, keep only a few digits, and the bounds then hold only to
    # that rounding (hypothesis found 1.1e-308 decayed to 8.7e-318)
    elements=st.floats(
        -1e3, 1e3, allow_nan=False, allow_infinity=False
    ).filter(lambda g: g == 0 or abs(g) > 1e-200),
)
decays = st.floats(0.05, 0.999)


def lp_moment_by_recursion(g, beta2, p):
    """v_t^{1/p} from v_t = β₂^p v_{t−1} + (1 − β₂^p)|g_t|^p, v_0 = 0: a third
    way, for small p, to check the closed sum and its log-space form by."""
    v = np.zeros(g.shape[1:])
    for g_t in g:
        v = beta2**p * v + (1 - beta2**p) * np.abs(g_t) ** p
    return v ** (1 / p)


def test_log_space_moment_equals_the_direct_sum_and_the_recursion_for_small_p(
    rng,
):
    g = rng.standard_normal((15, 3)) * 3
    for p in (1.0, 2.0, 3.5):
        direct = lp_moment_direct(g, 0.99, p)
        np.testing.assert_allclose(lp_moment(g, 0.99, p), direct, rtol=1e-12)
        np.testing.assert_allclose(
            lp_moment_by_recursion(g, 0.99, p), direct, rtol=1e-12
        )


def test_lp_moment_approaches_the_infinity_norm_as_p_grows(rng):
    g = rng.standard_normal((40, 5))
    gaps = np.abs(
        lp_moment(g, 0.999, [1.0, 10.0, 100.0, 1e3, 1e4, 1e6])
        / infinity_norm(g, 0.999)[-1]
        - 1
    )
    assert np.all(np.diff(gaps, axis=0) <= 1e-15)  # the gap never grows with p
    # from far at p = 1 to close at p = 10^6
    assert np.all(gaps[0] > 0.5)
    assert np.all(gaps[-1] < 1e-5)


def test_log_space_is_finite_where_the_direct_sum_overflows(rng):
    g = 3 + rng.random((10, 2))  # |g|^p overflows float64 for p ≳ 650
    assert not np.all(np.isfinite(lp_moment_direct(g, 0.9, 1e3)))
    value = lp_moment(g, 0.9, 1e3)
    assert np.all(np.isfinite(value))
    np.testing.assert_allclose(value, infinity_norm(g, 0.9)[-1], rtol=1e-2)


def test_zero_gradients_give_a_zero_moment():
    assert np.all(lp_moment(np.zeros((4, 2)), 0.9, [2.0, 1e6]) == 0)
    assert np.all(infinity_norm(np.zeros((4, 2)), 0.9) == 0)


def test_logsumexp_matches_the_naive_sum_and_survives_huge_terms(rng):
    a = rng.standard_normal((6, 4))
    np.testing.assert_allclose(
        logsumexp(a), np.log(np.exp(a).sum(axis=0)), rtol=1e-13
    )
    np.testing.assert_allclose(
        logsumexp(a + 1e4), logsumexp(a) + 1e4, rtol=1e-13
    )
    assert logsumexp(np.array([-np.inf, -np.inf])) == -np.inf


@settings(max_examples=60, deadline=None)
@given(g=sequences, beta2=decays)
def test_the_recursion_equals_the_closed_max_form(g, beta2):
    np.testing.assert_allclose(
        infinity_norm_recursion(g, beta2),
        infinity_norm(g, beta2),
        rtol=1e-12,
        # below the smallest normal float64 (β₂^t |g| can get there) a
        # subnormal carries fewer digits: relative agreement means nothing
        atol=np.finfo(np.float64).tiny,
    )


@settings(max_examples=60, deadline=None)
@given(g=sequences, beta2=decays)
def test_the_lp_moment_is_sandwiched_by_the_infinity_norm(g, beta2):
    # (1 − β₂^p)^{1/p} u ≤ v^{1/p} ≤ t^{1/p} u: the whole limit argument in
    # one line
    u = infinity_norm(g, beta2)[-1]
    t = g.shape[0]
    for p in (2.0, 50.0, 1e4):
        value = lp_moment(g, beta2, p)
        assert np.all(value <= t ** (1 / p) * u * (1 + 1e-12))
        assert np.all(value >= (1 - beta2**p) ** (1 / p) * u * (1 - 1e-12))


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    steps=st.integers(1, 60),
    beta2=st.floats(0.91, 0.9999),
)
def test_no_adamax_step_exceeds_its_tight_bound(seed, steps, beta2):
    rng = np.random.default_rng(seed)
    g = rng.standard_normal((steps, 6)) * rng.lognormal(0, 3, size=(steps, 1))
    updates = updates_for_gradients(Adamax(lr=1.0, beta2=beta2), g)
    bound = adamax_step_bound(0.9, beta2, np.arange(1, steps + 1))
    assert np.all(np.abs(updates) <= bound[:, None] * (1 + 1e-12))


def test_gradients_shrinking_by_beta2_attain_the_bound_above_the_lr():
    t = np.arange(1, 301)
    updates = updates_for_gradients(Adamax(lr=1.0), 0.999 ** (t - 1))
    np.testing.assert_allclose(
        -updates, adamax_step_bound(0.9, 0.999, t), rtol=1e-9
    )
    assert -updates[-1] > 1.008  # the paper's |Δ| ≤ α is off by almost 1 %


def test_step_bound_is_one_at_the_first_step_and_tends_to_its_limit():
    assert adamax_step_bound(0.9, 0.999, 1) == pytest.approx(1.0, rel=1e-15)
    assert adamax_step_bound(0.9, 0.999, 10**5) == pytest.approx(
        0.999 * 0.1 / (0.999 - 0.9), rel=1e-12
    )
    assert np.all(
        np.diff(adamax_step_bound(0.9, 0.999, np.arange(1, 100))) > 0
    )


def test_folded_adam_equals_adam_exactly_when_eps_hat_is_rescaled(rng):
    # gradients near ε, where the ε placement matters
    g = 1e-7 * rng.standard_normal((40, 3))
    t = np.arange(1, 41)
    standard = updates_for_gradients(Adam(), g)
    # rtol 1e-10, not 1e-12: the standard updates are differences
    # θ_t − θ_{t−1} of a trajectory that grows like t |Δ|, so they carry ~t
    # ulp of rounding
    np.testing.assert_allclose(
        adam_folded_updates(g, 1e-3, 0.9, 0.999, 1e-8 * np.sqrt(1 - 0.999**t)),
        standard,
        rtol=1e-10,
    )
    constant = adam_folded_updates(g, 1e-3, 0.9, 0.999, 1e-8)
    assert np.max(np.abs(constant - standard)) > 0.1 * np.max(np.abs(standard))


def test_misprinted_weights_converge_to_the_unweighted_max(rng):
    g = np.concatenate([[10.0], rng.uniform(-1, 1, 2999)])
    misprinted = np.exp(log_lp_moment_as_misprinted(g, 0.999, 1e5))
    assert misprinted == pytest.approx(10.0, rel=1e-3)
    assert infinity_norm(g, 0.999)[-1] < 1.0


def test_updates_for_gradients_keeps_the_batch_shape(rng):
    g = rng.standard_normal((5, 2, 3))
    assert updates_for_gradients(Adamax(), g).shape == (5, 2, 3)
    assert updates_for_gradients(Adamax(), g[:, 0, 0]).shape == (5,)


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda: lp_moment(np.zeros((0, 2)), 0.9, 2.0),
            "gradients must not be empty",
        ),
        (lambda: lp_moment(np.ones(3), 1.0, 2.0), "beta2 must be a number"),
        (
            lambda: lp_moment(np.ones(3), 0.9, -1.0),
            "p must hold only positive",
        ),
        (
            lambda: lp_moment(np.ones(3), 0.9, np.ones((2, 2))),
            "p must be one number or a 1-D array",
        ),
        (
            lambda: infinity_norm(np.array([1.0, np.nan]), 0.9),
            "gradients must hold only finite numbers: entry 1 is nan",
        ),
        (
            lambda: adamax_step_bound(0.9, 0.999, 0),
            "t must hold only positive integers",
        ),
        (
            lambda: adam_folded_updates(np.ones(3), 1e-3, 0.9, 0.999, -1.0),
            "eps_hat must hold only non-negative",
        ),
        (
            lambda: adam_folded_updates(
                np.ones(3), 1e-3, 0.9, 0.999, np.ones(4)
            ),
            "eps_hat must be one number or one per step",
        ),
        (
            lambda: logsumexp(np.array([np.nan, 1.0])),
            "a must hold only numbers in",
        ),
    ],
)
def test_bad_arguments_are_value_errors(call, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        call()


def test_a_non_numeric_sequence_is_a_type_error():
    with pytest.raises(TypeError, match="gradients must be a real number"):
        infinity_norm("abc", 0.9)
    with pytest.raises(TypeError, match="t must hold only positive integers"):
        adamax_step_bound(0.9, 0.999, 1.5)


def adam_step_supremum_by_brute_force(beta1, beta2, t, candidates):
    """The largest |m̂_t / √v̂_t| over the gradient sequences given (rows of
    ``candidates``, each g_1 … g_t), computed from the moments' sums."""
    k = np.arange(t)[::-1]  # g_i is weighted by β^(t − i)
    m_hat = (1 - beta1) * (candidates * beta1**k).sum(-1) / (1 - beta1**t)
    v_hat = (1 - beta2) * (candidates**2 * beta2**k).sum(-1) / (1 - beta2**t)
    return np.max(np.abs(m_hat) / np.sqrt(v_hat))


@pytest.mark.parametrize("beta1, beta2", [(0.9, 0.999), (0.5, 0.6)])
def test_adam_step_supremum_bounds_random_sequences_and_is_attained(
    beta1, beta2, rng
):
    t = 6
    random = rng.standard_normal((20_000, t)) * rng.lognormal(0, 2, (1, t))
    supremum = adam_step_supremum(beta1, beta2, t)
    assert adam_step_supremum_by_brute_force(beta1, beta2, t, random) <= (
        supremum * (1 + 1e-12)
    )
    growing = (beta2 / beta1) ** np.arange(t)[None, :]
    attained = adam_step_supremum_by_brute_force(beta1, beta2, t, growing)
    assert attained == pytest.approx(supremum, rel=1e-12)


def test_adam_step_supremum_exceeds_the_papers_bound_and_tends_to_its_limit():
    papers_bound = 0.1 / np.sqrt(0.001)  # Kingma & Ba, section 2.1
    limit = 0.1 / np.sqrt(0.001 * (1 - 0.81 / 0.999))
    assert adam_step_supremum(0.9, 0.999, 1) == pytest.approx(1.0, rel=1e-15)
    assert adam_step_supremum(0.9, 0.999, 10**5) == pytest.approx(
        limit, rel=1e-12
    )
    assert adam_step_supremum(0.9, 0.999, 10**5) > 2 * papers_bound
    updates = updates_for_gradients(
        Adam(lr=1.0), (0.999 / 0.9) ** np.arange(501.0)
    )
    # eps = 1e-8 against sqrt(v_hat) of about 0.1 shifts the step by ~1e-7
    assert -updates[-1] == pytest.approx(
        adam_step_supremum(0.9, 0.999, 501), rel=1e-6
    )
