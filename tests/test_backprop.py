import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from dlmath import backprop as bp
from dlmath.calculus import numerical_gradient
from dlmath.checks import assert_close

dims = st.integers(min_value=1, max_value=5)
seeds = st.integers(min_value=0, max_value=2**32 - 1)
batches = st.sampled_from([(), (2,), (2, 3)])


def random_network(rng, d_x, d_a1, m, batch=()):
    params = bp.init_params(rng, d_x, d_a1, batch)
    params = params._replace(
        b1=rng.standard_normal(params.b1.shape),
        b2=rng.standard_normal(params.b2.shape),
    )
    X = rng.standard_normal((d_x, m))
    y = rng.integers(0, 2, m).astype(float)
    return params, X, y


@settings(max_examples=40, deadline=None)
@given(d_x=dims, d_a1=dims, m=dims, seed=seeds)
# a network whose dJ/db1 is 2e-5: fails a purely relative comparison
@example(d_x=2, d_a1=1, m=5, seed=5012914)
def test_gradients_match_central_differences_of_the_cost(d_x, d_a1, m, seed):
    rng = np.random.default_rng(seed)
    params, X, y = random_network(rng, d_x, d_a1, m)
    # central differences need no kink within eps
    assume(np.min(np.abs(bp.forward(params, X).Z1)) > 1e-4)
    grads = bp.gradients(params, X, y)
    for name, g in zip(bp.Params._fields, grads, strict=True):
        # laid out like the parameter
        assert g.shape == getattr(params, name).shape
        fd = numerical_gradient(
            lambda p, name=name: bp.cost(params._replace(**{name: p}), X, y),
            getattr(params, name),
        )
        # 1e-6: fd of a cost whose curvature can be large at random points;
        # and fd's rounding, about 1e-16 |J| / eps = 1e-10 |J| per entry
        # whatever the gradient, is the floor for a gradient far smaller
        # than the cost (hypothesis found one: |dJ/db1| = 2e-5)
        floor = 1e-9 * max(1.0, float(np.abs(bp.cost(params, X, y))))
        np.testing.assert_allclose(g, fd, rtol=1e-6, atol=floor, err_msg=name)


@settings(max_examples=20, deadline=None)
@given(d_x=dims, d_a1=dims, m=dims, batch=batches, seed=seeds)
def test_batched_networks_give_the_results_of_networks_one_at_a_time(
    d_x, d_a1, m, batch, seed
):
    rng = np.random.default_rng(seed)
    params, X, y = random_network(rng, d_x, d_a1, m, batch)
    grads, costs = bp.gradients(params, X, y), bp.cost(params, X, y)
    assert costs.shape == batch
    for index in np.ndindex(*batch):
        single = bp.Params(*(p[index] for p in params))
        assert_close(bp.cost(single, X, y), costs[index], rtol=1e-12)
        for g_batched, g_single in zip(
            grads, bp.gradients(single, X, y), strict=True
        ):
            assert_close(g_batched[index], g_single, rtol=1e-12)


def test_relu_derivative_uses_the_given_subgradient_at_zero():
    z = np.array([-1.0, 0.0, 2.0])
    assert np.array_equal(bp.relu_derivative(z), [0.0, 0.0, 1.0])
    assert np.array_equal(bp.relu_derivative(z, at_zero=0.5), [0.0, 0.5, 1.0])
    with pytest.raises(
        ValueError, match=r"at_zero must be a number in \[0, 1\]"
    ):
        bp.relu_derivative(z, at_zero=1.5)


def test_central_difference_at_an_exact_kink_sees_the_average_slope(rng):
    params, X, y = random_network(rng, 3, 4, 5)
    params.b1[0] = -(params.W1 @ X)[0, 0]
    Z1 = bp.forward(params, X).Z1
    assert Z1[0, 0] == 0.0
    assert np.sort(np.abs(Z1).ravel())[1] > 1e-4
    fd = numerical_gradient(
        lambda b: bp.cost(params._replace(b1=b), X, y), params.b1
    )
    assert_close(bp.gradients(params, X, y, relu_at_zero=0.5).b1, fd)
    assert not np.allclose(bp.gradients(params, X, y, relu_at_zero=0.0).b1, fd)


def test_training_separates_two_circles_where_logistic_regression_cannot():
    rng = np.random.default_rng(0)
    X, y = bp.two_circles(rng, 120, noise=0.1)
    trained, history = bp.train(
        bp.init_params(rng, 2, 12, (3,)), X, y, lr=1.0, steps=300
    )
    assert history.shape == (301, 3)
    assert np.all(history[-1] < history[0])
    assert np.all(bp.accuracy(trained, X, y) >= 0.95)
    w, b, j = bp.train_logistic_regression(X, y, lr=1.0, steps=300)
    assert j.shape == (301,)
    assert j[-1] > 0.6
    assert np.mean((w @ X + b > 0) == y) < 0.7


def test_two_circles_has_balanced_labels_and_examples_in_columns(rng):
    X, y = bp.two_circles(rng, 11)
    assert X.shape == (2, 11)
    assert y.shape == (11,)
    assert abs(y.sum() - 5.5) <= 0.5


def test_mismatched_shapes_raise_value_errors_that_name_the_expected_shape(
    rng,
):
    params, X, y = random_network(rng, 3, 4, 5)
    with pytest.raises(ValueError, match=r"X must have shape \(3, m\)"):
        bp.forward(params, X[:2])
    with pytest.raises(ValueError, match=r"X must have shape \(3, m\)"):
        bp.gradients(params, X[:2], y)
    with pytest.raises(ValueError, match=r"y of shape \(m,\)"):
        bp.cost(params, X, y[:4])
    with pytest.raises(
        ValueError, match=r"w2 must have shape \(4,\) to go with W1"
    ):
        bp.gradients(params._replace(w2=np.ones(3)), X, y)
    with pytest.raises(ValueError, match="W1 must have shape"):
        bp.forward(params._replace(W1=np.ones(3)), X)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        bp.cost(params, X, y + 2)


def test_bad_argument_types_and_values_raise(rng):
    params, X, y = random_network(rng, 3, 4, 5)
    with pytest.raises(TypeError, match="Params"):
        bp.gradients(tuple(params), X, y)
    with pytest.raises(TypeError, match="real numbers"):
        bp.cost(params, X.astype(str), y)
    with pytest.raises(TypeError, match="Generator"):
        bp.init_params(0, 3, 4)
    with pytest.raises(ValueError, match="d_a1"):
        bp.init_params(rng, 3, 0)
    with pytest.raises(ValueError, match="lr"):
        bp.train(params, X, y, lr=0.0, steps=5)
    with pytest.raises(ValueError, match="steps"):
        bp.train(params, X, y, lr=0.1, steps=-1)
    with pytest.raises(ValueError, match="m must be"):
        bp.two_circles(rng, 1)
