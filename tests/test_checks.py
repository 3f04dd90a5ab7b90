import numpy as np
import pytest

from dlmath.checks import as_count, assert_close, compare, relative_error


def test_relative_error_is_scale_free():
    a = np.array([1.0, 2.0, 3.0])
    assert relative_error(a * (1 + 1e-9), a) == pytest.approx(1e-9, rel=1e-6)
    assert relative_error(1e6 * a * (1 + 1e-9), 1e6 * a) == pytest.approx(
        1e-9, rel=1e-6
    )


def test_relative_error_of_two_zeros_is_zero():
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0


def test_assert_close_reports_both_values_when_it_fails():
    with pytest.raises(AssertionError) as failure:
        assert_close([1.0, 2.0], [1.0, -2.0], name="flipped sign")
    message = str(failure.value)
    assert "flipped sign" in message and "DISAGREE" in message
    assert "-2." in message and "2." in message


def test_compare_keeps_both_values():
    result = compare([1.0, 2.0], [1.0, 2.5], rtol=1e-3)
    assert not result.ok
    np.testing.assert_array_equal(result.actual, [1.0, 2.0])
    np.testing.assert_array_equal(result.expected, [1.0, 2.5])
    assert "0.19" in str(result)  # |(0, -0.5)| / |(1, 2.5)| = 0.186


def test_mismatched_shapes_are_a_value_error():
    with pytest.raises(ValueError, match=r"shapes \(2,\) and \(2, 1\)"):
        compare(np.ones(2), np.ones((2, 1)))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_input_is_a_value_error(bad):
    with pytest.raises(ValueError, match="finite"):
        compare([1.0, bad], [1.0, 2.0])


def test_non_numeric_input_is_a_type_error():
    with pytest.raises(TypeError, match="real number"):
        compare({"a": 1}, [1.0])


def test_tolerance_must_be_positive():
    with pytest.raises(ValueError, match="rtol"):
        compare([1.0], [1.0], rtol=0)


@pytest.mark.parametrize("bad", [-1, 2.5, True, np.bool_(True), "3", None])
def test_a_count_must_be_a_non_negative_integer(bad):
    with pytest.raises(
        ValueError, match="steps must be a non-negative integer"
    ):
        as_count(bad, "steps")


def test_a_count_respects_its_minimum_and_accepts_numpy_integers():
    assert (
        as_count(np.int64(3), "n", 1) == 3
        and type(as_count(np.int64(3), "n", 1)) is int
    )
    with pytest.raises(ValueError, match="m must be an integer of at least 2"):
        as_count(1, "m", 2)


def test_a_verdict_that_would_pass_the_page_width_gets_its_own_line():
    short = str(compare([1.0], [1.0], name="x"))
    assert short == "x: agree, relative error below 1e-07"
    long_name = "a quantity with a name as long as the ones the chapters use"
    wrapped = str(compare([1.0], [2.0], name=long_name)).split("\n")
    assert wrapped[0] == long_name + ":"
    assert wrapped[1].startswith("    DISAGREE, relative error 0.5")
    assert max(map(len, wrapped)) <= 79
