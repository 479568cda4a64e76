"""A value is kept under the version it was computed for, and only there."""

from changeready.common.caching import kept_for_version


def test_a_value_is_reused_for_its_version_and_rebuilt_for_another():
    built = []

    def build(value):
        def make():
            built.append(value)
            return value, True

        return make

    assert kept_for_version("test:kept", 1, 60, build("first")) == "first"
    assert kept_for_version("test:kept", 1, 60, build("second")) == "first"
    assert kept_for_version("test:kept", 2, 60, build("third")) == "third"
    assert built == ["first", "third"]


def test_a_value_not_to_be_kept_is_built_every_time():
    calls = []

    def build():
        calls.append(1)
        return len(calls), False

    assert kept_for_version("test:unkept", 1, 60, build) == 1
    assert kept_for_version("test:unkept", 1, 60, build) == 2
