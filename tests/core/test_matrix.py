import numpy as np
import pytest
import sympy

from intertwine.core import Matrix, as_matrix, block_diag, kron
from intertwine.errors import ActionError


def test_canonical_form_sums_duplicates_and_drops_zeros():
    m = Matrix((2, 2), [0, 0, 1], [1, 1, 0], [2, -2, 5])
    assert m.nnz == 1 and m.domain == "ZZ"
    assert m.tolist() == [[0, 0], [5, 0]]


def test_equal_and_hash_by_entries():
    a = Matrix.from_dense([[0, 1], [1, 0]])
    b = Matrix.from_map([1, 0])
    assert a == b and hash(a) == hash(b)
    assert a != Matrix.identity(2)


def test_domains():
    assert Matrix.from_dense([[1, 0], [0, 2]]).domain == "ZZ"
    assert Matrix.from_dense([[sympy.Rational(1, 2), 0], [0, 1]]).domain == "QQ"
    assert Matrix.from_dense([[sympy.sqrt(3) / 2, 0], [0, 1]]).domain == "EX"
    assert as_matrix(np.array([[0.5, 0.0], [0.0, 1.0]])).domain == "RR"
    assert as_matrix(np.array([[2.0, 0.0], [0.0, 1.0]])).domain == "ZZ"


def test_kron_and_block_diag_match_numpy():
    rng = np.random.default_rng(0)
    a = rng.integers(-2, 3, (3, 2))
    b = rng.integers(-2, 3, (2, 4))
    assert np.array_equal(kron(as_matrix(a), as_matrix(b)).to_numpy(), np.kron(a, b))
    bd = block_diag([as_matrix(a), as_matrix(b)]).to_numpy()
    assert bd.shape == (5, 6)
    assert np.array_equal(bd[:3, :2], a) and np.array_equal(bd[3:, 2:], b)


def test_exact_algebraic_kron():
    c = sympy.sqrt(3) / 2
    r = Matrix.from_dense([[sympy.Rational(1, 2), -c], [c, sympy.Rational(1, 2)]])
    sq = kron(r, r)
    assert sq.domain == "EX"
    assert sympy.simplify(sq.to_sympy()[0, 3] - sympy.Rational(3, 4)) == 0


def test_monomial_structure():
    shift = Matrix((3, 3), [1, 2], [0, 1], [1, 1])
    target, sign = shift.monomial()
    assert target.tolist() == [1, 2, -1] and sign.tolist() == [1, 1, 0]
    assert Matrix.from_dense([[1, 1], [0, 1]]).monomial() is None
    assert Matrix.from_map([0, 0]).monomial() is None  # not injective


def test_inverse_and_singular():
    m = Matrix.from_dense([[2, 1], [1, 1]])
    assert (m @ m.inverse()) == Matrix.identity(2)
    with pytest.raises(ActionError, match="singular"):
        Matrix.from_dense([[1, 1], [1, 1]]).inverse()


def test_nan_is_rejected():
    with pytest.raises(ActionError, match="NaN"):
        as_matrix(np.array([[np.nan, 0.0], [0.0, 1.0]]))


def test_immutable():
    m = Matrix.identity(2)
    with pytest.raises(AttributeError):
        m.shape = (3, 3)
    with pytest.raises(ValueError):
        m.vals[0] = 5
