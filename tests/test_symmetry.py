import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlmath.calculus import numerical_gradient
from dlmath.checks import assert_close
from dlmath.symmetry import (
    augment_with_mirror,
    gaussian_accuracy,
    learning_curves,
    logistic_gradient,
    logistic_loss,
    make_dataset,
    mirror_matrix,
    mirror_pairs,
    mirror_permutation,
    pairing_laplacian,
    symmetric_template,
    symmetry_penalty,
    train_penalised_logistic,
)

sides = st.integers(min_value=1, max_value=7)
seeds = st.integers(min_value=0, max_value=2**32 - 1)


@settings(max_examples=50, deadline=None)
@given(h=sides, w=sides)
def test_mirror_is_an_involution_that_flips_each_row(h, w):
    m = mirror_permutation(h, w)
    assert np.array_equal(m[m], np.arange(h * w))
    image = np.arange(h * w).reshape(h, w)
    assert np.array_equal(image.ravel()[m].reshape(h, w), image[:, ::-1])


@settings(max_examples=50, deadline=None)
@given(h=sides, w=sides)
def test_pairing_laplacian_is_identity_minus_mirror_with_the_right_spectrum(
    h, w
):
    S = pairing_laplacian(h, w)
    assert np.array_equal(S, np.eye(h * w) - mirror_matrix(h, w))
    eigenvalues = np.linalg.eigvalsh(S)
    # null space: mirror-symmetric images, one free value per orbit;
    # eigenvalue 2: antisymmetric ones
    assert np.sum(np.abs(eigenvalues) < 1e-12) == h * ((w + 1) // 2)
    assert (
        np.sum(np.abs(eigenvalues - 2) < 1e-12)
        == h * (w // 2)
        == len(mirror_pairs(h, w))
    )


@settings(max_examples=50, deadline=None)
@given(h=sides, w=sides, seed=seeds)
def test_penalty_is_quadratic_form_and_twice_antisymmetric_energy(h, w, seed):
    rng = np.random.default_rng(seed)
    weights = rng.standard_normal((3, h * w))
    R = symmetry_penalty(weights, h, w)
    S = pairing_laplacian(h, w)
    assert_close(R, np.einsum("bi,ij,bj->b", weights, S, weights), rtol=1e-12)
    anti = 0.5 * (weights - weights[:, mirror_permutation(h, w)])
    assert_close(R, 2 * np.sum(anti**2, axis=1), rtol=1e-12)
    symmetric = weights + weights[:, mirror_permutation(h, w)]
    assert np.all(symmetry_penalty(symmetric, h, w) == 0)


@settings(max_examples=25, deadline=None)
@given(
    h=st.integers(1, 4),
    w=st.integers(1, 4),
    seed=seeds,
    l2=st.floats(0.0, 1.0),
    lam=st.floats(0.0, 2.0),
)
def test_regularised_logistic_gradient_matches_central_differences(
    h, w, seed, l2, lam
):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((5, h * w))
    s = rng.choice([-1.0, 1.0], size=5)
    weights = rng.standard_normal(h * w)
    numeric = numerical_gradient(
        lambda v: logistic_loss(v, X, s, l2, lam, (h, w)), weights
    )
    assert_close(
        logistic_gradient(weights, X, s, l2, lam, (h, w)), numeric, rtol=1e-7
    )


def test_loss_and_gradient_work_row_by_row_on_a_batch(rng):
    X = rng.standard_normal((4, 6, 6))
    s = rng.choice([-1.0, 1.0], size=(4, 6))
    W = rng.standard_normal((4, 6))
    batch = logistic_gradient(W, X, s, 0.1, 0.5, (2, 3))
    for b in range(4):
        assert_close(
            batch[b],
            logistic_gradient(W[b], X[b], s[b], 0.1, 0.5, (2, 3)),
            rtol=1e-12,
        )


def test_training_reaches_a_stationary_point(rng):
    t = symmetric_template(rng, 3, 4)
    X, s = make_dataset(rng, t, 20, 1.0, 1.0, batch=5)
    W = train_penalised_logistic(
        X, s, l2=0.1, symmetry=0.5, shape=(3, 4), steps=400
    )
    assert np.max(np.abs(logistic_gradient(W, X, s, 0.1, 0.5, (3, 4)))) < 1e-8


def test_augmented_training_gives_mirror_symmetric_weights(rng):
    t = symmetric_template(rng, 3, 5)
    X, s = make_dataset(rng, t, 7, 1.0, 1.0, batch=4)
    W = train_penalised_logistic(
        *augment_with_mirror(X, s, 3, 5), l2=0.05, steps=100
    )
    unaugmented = train_penalised_logistic(X, s, l2=0.05, steps=100)
    m = mirror_permutation(3, 5)
    assert np.max(np.abs(W - W[:, m])) < 1e-12 * np.max(np.abs(W))
    assert np.max(np.abs(unaugmented - unaugmented[:, m])) > 1e-2 * np.max(
        np.abs(unaugmented)
    )


def test_dataset_is_labelled_by_template_sign_and_template_is_symmetric(rng):
    t = symmetric_template(rng, 4, 3)
    assert np.allclose(t, t[mirror_permutation(4, 3)])
    assert np.isclose(np.linalg.norm(t), 1.0)
    X, s = make_dataset(rng, t, 4000, 2.0, 0.5)
    assert X.shape == (1, 4000, 12)
    assert s.shape == (1, 4000)
    # mean of s x is a t; the sample mean is within a few standard errors
    # 0.5/sqrt(4000)
    assert np.max(
        np.abs((s[..., None] * X).mean(axis=1)[0] - 2.0 * t)
    ) < 5 * 0.5 / np.sqrt(4000)


def test_gaussian_accuracy_matches_a_large_sample(rng):
    t = symmetric_template(rng, 2, 4)
    w = rng.standard_normal(8)
    X, s = make_dataset(rng, t, 200_000, 1.0, 0.7)
    empirical = np.mean(np.sign(X[0] @ w) == s[0])
    assert abs(
        empirical - gaussian_accuracy(w, t, 1.0, 0.7)
    ) < 5 * 0.5 / np.sqrt(200_000)


def test_bad_arguments_are_rejected(rng):
    with pytest.raises(ValueError, match="height"):
        mirror_permutation(0, 3)
    with pytest.raises(TypeError, match="width"):
        pairing_laplacian(2, 2.0)
    with pytest.raises(ValueError, match=r"\(\.\.\., 6\)"):
        symmetry_penalty(np.zeros(5), 2, 3)
    X, s = np.zeros((3, 6)), np.ones(3)
    with pytest.raises(ValueError, match="shape"):
        logistic_loss(np.zeros(6), X, np.ones(4))
    with pytest.raises(ValueError, match=r"\+1 or -1"):
        logistic_loss(np.zeros(6), X, np.zeros(3))
    with pytest.raises(ValueError, match="with product 6, got \\(2, 2\\)"):
        logistic_gradient(np.zeros(6), X, s, symmetry=1.0, shape=(2, 2))
    with pytest.raises(
        ValueError, match="l2 must be a positive finite number"
    ):
        train_penalised_logistic(X, s, l2=0.0)
    with pytest.raises(ValueError, match="no decision boundary"):
        gaussian_accuracy(np.zeros(6), np.ones(6), 1.0, 1.0)
    with pytest.raises(TypeError, match="Generator"):
        symmetric_template(0, 2, 2)


def test_learning_curves_match_training_each_size_separately(rng):
    t = symmetric_template(rng, 2, 4)
    X, s = make_dataset(rng, t, 12, 1.0, 1.0, batch=3)
    curves = learning_curves(
        X, s, [3, 12], t, 1.0, 1.0, (2, 4), l2=0.1, symmetry=0.3, steps=50
    )
    assert curves.shape == (2, 3)
    W = train_penalised_logistic(X[:, :3], s[:, :3], 0.1, 0.3, (2, 4), 50)
    assert_close(curves[0], gaussian_accuracy(W, t, 1.0, 1.0), rtol=1e-12)
    with pytest.raises(ValueError, match="sizes"):
        learning_curves(X, s, [13], t, 1.0, 1.0, (2, 4), l2=0.1)


def test_150_steps_settle_the_chapter_experiment(rng):
    # the setting of chapter 3's experiment: 6 x 6 images, a = sigma = 1,
    # l2 = 0.01, lambda = 1
    t = symmetric_template(rng, 6, 6)
    X, s = make_dataset(rng, t, 256, 1.0, 1.0, batch=20)
    sizes = [4, 8, 16, 32, 64, 128, 256]
    common = dict(
        sizes=sizes,
        template=t,
        amplitude=1.0,
        noise=1.0,
        shape=(6, 6),
        l2=0.01,
    )
    for variant in (dict(), dict(symmetry=1.0), dict(augment=True)):
        short = learning_curves(X, s, steps=150, **common, **variant).mean(
            axis=1
        )
        long = learning_curves(X, s, steps=600, **common, **variant).mean(
            axis=1
        )
        # below the chapter's printed precision of 3 decimals
        assert np.max(np.abs(short - long)) < 5e-4, variant
