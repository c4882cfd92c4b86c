import pytest

from netlog.params import MAX_ID, parse_id


@pytest.mark.parametrize(
    "raw", [None, "", "abc", "²", "١٢", "-1", "0", "1.5", "1e3", " 7", str(MAX_ID + 1)]
)
def test_anything_but_a_positive_64_bit_id_is_no_id(raw):
    assert parse_id(raw) is None


@pytest.mark.parametrize("raw", ["1", "42", str(MAX_ID)])
def test_a_real_id_is_read(raw):
    assert parse_id(raw) == int(raw)
