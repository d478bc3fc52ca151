"""Found by tests/fuzzing/test_forms_hypothesis.py: an unbounded id reached PostgreSQL as a bigint overflow."""

from ankommen.work.forms import ProposeForm


def test_a_profile_id_beyond_bigint_is_a_message_not_a_database_error():
    form = ProposeForm(data={"profile": str(10**30)})
    assert not form.is_valid()
    assert list(form.errors) == ["profile"]
    assert ProposeForm(data={"profile": "17"}).is_valid()
