import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from dlmath import backprop as bp  # noqa: E402

# noqa: E402
from dlmath.calculus import numerical_gradient, numerical_jacobian
from dlmath.checks import assert_close  # noqa: E402

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
def test_gradients_match_central_differences_of_the_cost(d_x, d_a1, m, seed):
    rng = np.random.default_rng(seed)
    params, X, y = random_network(rng, d_x, d_a1, m)
    # central differences need no kink within eps
    assume(np.min(np.abs(bp.forward(params, X).Z1)) > 1e-4)
    grads = bp.gradients(params, X, y)
    for name, g in zip(bp.Params._fields, grads):
        # laid out like the parameter
        assert g.shape == getattr(params, name).shape
        fd = numerical_gradient(
            lambda p: bp.cost(params._replace(**{name: p}), X, y),
            getattr(params, name),
        )
        # 1e-6: fd of a cost whose curvature can be large at random points
        assert_close(g, fd, rtol=1e-6, name=name)


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
        for g_batched, g_single in zip(grads, bp.gradients(single, X, y)):
            assert_close(g_batched[index], g_single, rtol=1e-12)


def test_gradient_of_cost_by_logit_is_prediction_minus_label_over_m(rng):
    z, y = 3 * rng.standard_normal(6), rng.integers(0, 2, 6).astype(float)
    fd = numerical_gradient(lambda v: bp.bce_with_logits(v, y).mean(), z)
    assert_close(fd, (bp.sigmoid(z) - y) / 6)


def test_sigmoid_jacobian_is_diagonal_sigma_times_one_minus_sigma(rng):
    z = 2 * rng.standard_normal(5)
    s = bp.sigmoid(z)
    assert_close(numerical_jacobian(bp.sigmoid, z), np.diag(s * (1 - s)))


@settings(max_examples=60, deadline=None)
@given(z=st.floats(-15, 15), y=st.sampled_from([0.0, 1.0, 0.3]))
def test_stable_loss_agrees_with_naive_loss_where_naive_is_accurate(z, y):
    naive = bp.bce_naive(1 / (1 + np.exp(-z)), y)
    # the naive form loses digits as |z| grows
    assert_close(bp.bce_with_logits(z, y), naive, rtol=1e-9)


@pytest.mark.parametrize("z", [-1e4, -800.0, -40.0, 40.0, 800.0, 1e4])
@pytest.mark.parametrize("y", [0.0, 1.0])
def test_stable_loss_is_finite_and_exact_at_extreme_logits(z, y):
    loss = bp.bce_with_logits(z, y)
    wrong_side = (z > 0) != (y == 1)
    assert np.isfinite(loss)
    if wrong_side:
        # a confident wrong answer costs |z|
        assert loss == pytest.approx(abs(z), rel=1e-12)
    else:
        assert 0 <= loss < 1e-15


def test_naive_loss_breaks_where_the_sigmoid_rounds_to_one():
    with np.errstate(divide="ignore", invalid="ignore"):
        assert np.isinf(bp.bce_naive(1 / (1 + np.exp(-40.0)), 0.0))


def test_sigmoid_is_finite_without_overflow_warnings():
    # underflow to 0 is harmless
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        s = bp.sigmoid(np.array([-1e4, -800.0, 0.0, 800.0, 1e4]))
    assert np.array_equal(s, [0.0, 0.0, 0.5, 1.0, 1.0])


def test_relu_derivative_uses_the_given_subgradient_at_zero():
    z = np.array([-1.0, 0.0, 2.0])
    assert np.array_equal(bp.relu_derivative(z), [0.0, 0.0, 1.0])
    assert np.array_equal(bp.relu_derivative(z, at_zero=0.5), [0.0, 0.5, 1.0])
    with pytest.raises(ValueError, match="subgradient"):
        bp.relu_derivative(z, at_zero=1.5)


def test_central_difference_at_an_exact_kink_sees_the_average_slope(rng):
    params, X, y = random_network(rng, 3, 4, 5)
    params.b1[0] = -(params.W1 @ X)[0, 0]
    Z1 = bp.forward(params, X).Z1
    assert Z1[0, 0] == 0.0 and np.sort(np.abs(Z1).ravel())[1] > 1e-4
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
    assert history.shape == (301, 3) and np.all(history[-1] < history[0])
    assert np.all(bp.accuracy(trained, X, y) >= 0.95)
    w, b, j = bp.train_logistic(X, y, lr=1.0, steps=300)
    assert (
        j.shape == (301,)
        and j[-1] > 0.6
        and np.mean((w @ X + b > 0) == y) < 0.7
    )


def test_two_circles_has_balanced_labels_and_examples_in_columns(rng):
    X, y = bp.two_circles(rng, 11)
    assert (
        X.shape == (2, 11) and y.shape == (11,) and abs(y.sum() - 5.5) <= 0.5
    )


def test_draw_graph_draws_a_box_per_node_and_a_label_per_labelled_edge():
    nodes, edges = bp.network_graph()
    fig, ax = plt.subplots()
    bp.draw_graph(ax, nodes, edges)
    labelled = sum(1 for *_, label in edges if label)
    arrows = [t for t in ax.texts if isinstance(t, matplotlib.text.Annotation)]
    assert len(arrows) == len(edges)
    assert len(ax.texts) - len(arrows) == len(nodes) + labelled
    assert {t.get_text() for t in ax.texts} >= {
        rf"$\delta_{k}$" for k in range(1, 6)
    }
    with pytest.raises(ValueError, match="not in nodes"):
        bp.draw_graph(ax, nodes, [("x", "nowhere", "")])
    plt.close(fig)


def test_mismatched_shapes_raise_value_errors_that_name_the_expected_shape(
    rng,
):
    params, X, y = random_network(rng, 3, 4, 5)
    with pytest.raises(ValueError, match=r"expected X of shape \(3, m\)"):
        bp.forward(params, X[:2])
    with pytest.raises(ValueError, match=r"expected X of shape \(3, m\)"):
        bp.gradients(params, X[:2], y)
    with pytest.raises(ValueError, match=r"y of shape \(m,\)"):
        bp.cost(params, X, y[:4])
    with pytest.raises(ValueError, match="b1 and w2 of shape"):
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
