import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlmath.adamax import adamax_step_bound
from dlmath.optimizers import Adam, Adamax, GradientDescent, Momentum, run


def quadratic_grad(scales):
    """Gradient of f(x) = ½ Σ s_i x_i², row by row."""
    return lambda x: scales * x


def test_gradient_descent_step_by_hand():
    x = np.array([[1.0, -2.0]])
    (x1,) = run(GradientDescent(lr=0.1), lambda x: 2 * x, x, 1)[1:]
    np.testing.assert_allclose(x1, [[0.8, -1.6]])


def test_heavy_ball_two_steps_by_hand():
    # v1 = -0.1*2 = -0.2, x1 = 0.8;
    # v2 = 0.5*(-0.2) - 0.1*1.6 = -0.26, x2 = 0.54
    trajectory = run(
        Momentum(lr=0.1, beta=0.5), lambda x: 2 * x, np.array([1.0]), 2
    )
    np.testing.assert_allclose(trajectory[:, 0], [1.0, 0.8, 0.54])


def test_nesterov_evaluates_the_gradient_at_the_look_ahead_point():
    # step 2: look-ahead 0.8 + 0.5*(-0.2) = 0.7,
    # v2 = -0.1 - 0.1*1.4 = -0.24, x2 = 0.56
    trajectory = run(
        Momentum(lr=0.1, beta=0.5, nesterov=True),
        lambda x: 2 * x,
        np.array([1.0]),
        2,
    )
    np.testing.assert_allclose(trajectory[:, 0], [1.0, 0.8, 0.56])


def test_adam_first_step_is_lr_times_sign_of_gradient():
    # m̂1 = g, v̂1 = g², so the first step is lr * g / (|g| + eps)
    g = np.array([[3.0, -0.5, 1e-3]])
    x1 = Adam(lr=0.01).step(
        np.zeros((1, 3)), lambda x: g, Adam().init(np.zeros((1, 3)))
    )[0]
    np.testing.assert_allclose(x1, -0.01 * g / (np.abs(g) + 1e-8))


def test_adamax_first_step_is_lr_times_sign_of_gradient():
    g = np.array([3.0, -0.5])
    x1, state = Adamax(lr=0.002).step(
        np.zeros(2), lambda x: g, Adamax().init(np.zeros(2))
    )
    np.testing.assert_allclose(x1, -0.002 * np.sign(g))
    np.testing.assert_allclose(state.v, np.abs(g))


def test_adamax_takes_no_step_where_every_gradient_was_zero():
    g = np.array([0.0, 2.0])
    trajectory = run(Adamax(), lambda x: g, np.zeros(2), 5)
    assert np.all(np.isfinite(trajectory))
    np.testing.assert_array_equal(trajectory[:, 0], 0.0)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), steps=st.integers(1, 30))
def test_adamax_step_never_exceeds_its_bound(seed, steps):
    # Not simply lr: the paper's |Δ| <= α is off by up to
    # (1 − β₁)/(1 − β₁/β₂) ≈ 1.009 (chapter 5.3).
    rng = np.random.default_rng(seed)
    gradients = rng.standard_normal((steps, 4)) * rng.lognormal(
        0, 3, size=(steps, 1)
    )
    counter = iter(range(steps))
    lr = 0.01
    trajectory = run(
        Adamax(lr=lr), lambda x: gradients[next(counter)], np.zeros(4), steps
    )
    bound = lr * adamax_step_bound(0.9, 0.999, np.arange(1, steps + 1))
    assert np.all(
        np.abs(np.diff(trajectory, axis=0)) <= bound[:, None] * (1 + 1e-12)
    )


def test_adamax_step_reaches_its_bound_when_gradients_shrink_by_beta2():
    steps, lr = 300, 0.01
    gradients = iter(0.999 ** np.arange(steps))
    trajectory = run(
        Adamax(lr=lr),
        lambda x: np.array([next(gradients)]),
        np.zeros(1),
        steps,
    )
    np.testing.assert_allclose(
        -np.diff(trajectory[:, 0]),
        lr * adamax_step_bound(0.9, 0.999, np.arange(1, steps + 1)),
    )
    assert -np.diff(trajectory[:, 0])[-1] > 1.009 * lr


@pytest.mark.parametrize(
    "optimizer",
    [
        GradientDescent(0.1),
        Momentum(0.1),
        Momentum(0.1, nesterov=True),
        Adam(0.1),
        Adamax(0.1),
    ],
    ids=repr,
)
def test_a_batch_of_starts_moves_like_each_start_alone(optimizer):
    rng = np.random.default_rng(0)
    starts = rng.standard_normal((5, 3))
    grad = quadratic_grad(np.array([1.0, 4.0, 0.5]))
    together = run(optimizer, grad, starts, 20)
    for i in range(5):
        np.testing.assert_allclose(
            together[:, i],
            run(optimizer, grad, starts[i], 20),
            rtol=0,
            atol=1e-15,
        )


@pytest.mark.parametrize(
    "optimizer",
    [
        GradientDescent(0.1),
        Momentum(0.05),
        Momentum(0.05, nesterov=True),
        Adam(0.05),
        Adamax(0.05),
    ],
    ids=repr,
)
def test_every_optimiser_approaches_the_minimum_of_a_convex_quadratic(
    optimizer,
):
    start = np.array([[2.0, -1.0]])
    end = run(optimizer, quadratic_grad(np.array([1.0, 3.0])), start, 400)[-1]
    assert np.linalg.norm(end) < 0.05 * np.linalg.norm(start)


def test_trajectory_shape():
    assert run(
        GradientDescent(0.1), lambda x: x, np.zeros((7, 2)), 10
    ).shape == (11, 7, 2)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: GradientDescent(0), "lr must be a positive"),
        (lambda: GradientDescent(-1.0), "lr must be a positive"),
        (
            lambda: Momentum(0.1, beta=1.0),
            r"beta must be a number in \[0, 1\)",
        ),
        (lambda: Adam(beta2=1.5), r"beta2 must be a number in \[0, 1\)"),
        (lambda: Adam(eps=0), "eps must be a positive"),
        (lambda: Adamax(eps=-1.0), "eps must be a non-negative"),
    ],
)
def test_bad_hyper_parameters_are_value_errors(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_gradient_of_the_wrong_shape_is_a_value_error():
    with pytest.raises(ValueError, match="shape of x"):
        run(GradientDescent(0.1), lambda x: x[:1], np.zeros(3), 1)


def test_bad_run_arguments():
    with pytest.raises(TypeError, match="init and step"):
        run(object(), lambda x: x, np.zeros(2), 1)
    with pytest.raises(TypeError, match="callable"):
        run(GradientDescent(0.1), None, np.zeros(2), 1)
    with pytest.raises(ValueError, match="num_steps"):
        run(GradientDescent(0.1), lambda x: x, np.zeros(2), -1)
    with pytest.raises(ValueError, match="finite"):
        run(GradientDescent(0.1), lambda x: x, np.array([np.nan]), 1)


@pytest.mark.parametrize(
    "optimizer", [GradientDescent(0.1), Adam(), Adamax(), Adamax(eps=1e-8)]
)
def test_a_nan_gradient_gives_a_nan_step_not_a_zero_step(optimizer):
    # A diverging run must show as diverged: PyTorch's Adamax gives nan
    # here too.
    trajectory = run(
        optimizer, lambda x: np.full_like(x, np.nan), np.zeros(2), 3
    )
    assert np.all(np.isnan(trajectory[1:]))


def test_adamax_steps_zero_only_where_no_gradient_has_been_seen():
    # coordinate 0: a nan gradient; coordinate 1: every gradient 0 so far
    trajectory = run(
        Adamax(), lambda x: np.array([np.nan, 0.0]), np.zeros(2), 2
    )
    assert np.all(np.isnan(trajectory[1:, 0]))
    np.testing.assert_array_equal(trajectory[:, 1], 0.0)


def pytorch_adamax(gradients, lr, beta1, beta2, eps):
    """PyTorch's Adamax as its documentation writes it: ε inside the max,
    u_t = max(β₂ u_{t−1}, |g_t| + ε), θ_t = θ_{t−1} − lr/(1 − β₁^t) m_t/u_t."""
    theta, m, u = np.zeros(gradients.shape[1]), 0.0, 0.0
    path = [theta]
    for t, g in enumerate(gradients, start=1):
        m = beta1 * m + (1 - beta1) * g
        u = np.maximum(beta2 * u, np.abs(g) + eps)
        theta = theta - lr / (1 - beta1**t) * m / u
        path.append(theta)
    return np.array(path)


@pytest.mark.parametrize("eps", [1e-8, 0.3])
def test_adamax_with_eps_in_the_max_is_pytorchs_adamax(eps):
    rng = np.random.default_rng(7)
    # a late start and zero gradients, where the two placements differ most
    gradients = rng.standard_normal((40, 3)) * [1.0, 1e-6, 10.0]
    gradients[:5, 1] = 0.0
    steps = iter(gradients)
    ours = run(
        Adamax(lr=0.01, eps=eps, eps_in_max=True),
        lambda x: next(steps),
        np.zeros(3),
        len(gradients),
    )
    np.testing.assert_allclose(
        ours, pytorch_adamax(gradients, 0.01, 0.9, 0.999, eps), rtol=1e-13
    )
    # and it is not Keras's placement, which divides by u + ε
    steps = iter(gradients)
    keras = run(
        Adamax(lr=0.01, eps=eps), lambda x: next(steps), np.zeros(3), 40
    )
    assert not np.allclose(keras, ours, rtol=1e-6, atol=0)


@pytest.mark.parametrize("bad", [0, 1, "yes", None])
def test_eps_in_max_must_be_a_bool(bad):
    with pytest.raises(TypeError, match="eps_in_max must be True or False"):
        Adamax(eps_in_max=bad)
