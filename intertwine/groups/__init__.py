"""Groups: finite permutation groups, planar rotation groups, Lie groups, user matrix groups."""

from ._common import MAX_MATRIX_DEGREE as MAX_MATRIX_DEGREE
from ._common import MAX_PERMUTATION_DEGREE as MAX_PERMUTATION_DEGREE
from ._common import check_degree as check_degree
from ._irreps import has_irrep_names as has_irrep_names
from ._irreps import irrep_named as irrep_named
from ._irreps import trivial_irrep as trivial_irrep
from ._lie import general_linear as general_linear
from ._lie import invariant_form as invariant_form
from ._lie import orthogonal as orthogonal
from ._lie import pseudo_orthogonal as pseudo_orthogonal
from ._lie import special_linear as special_linear
from ._lie import special_orthogonal as special_orthogonal
from ._lie import special_pseudo_orthogonal as special_pseudo_orthogonal
from ._lie import symplectic as symplectic
from ._matrix_group import checked_matrices as checked_matrices
from ._matrix_group import matrix_group as matrix_group
from ._permutation import alternating as alternating
from ._permutation import cyclic as cyclic
from ._permutation import dihedral as dihedral
from ._permutation import permutation_group as permutation_group
from ._permutation import symmetric as symmetric
from ._planar import rotations as rotations
from ._planar import rotations_reflections as rotations_reflections
from ._so3_irreps import So3Irrep as So3Irrep
from ._so3_irreps import rational_form as rational_form
from ._so3_irreps import real_to_complex as real_to_complex
