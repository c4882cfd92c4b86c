import pytest
from django.core.exceptions import ImproperlyConfigured

from netlog.env import envbool, envint, envlist, envstr


@pytest.mark.parametrize("raw", ["1", "true", "True", "yes", "on", " ON "])
def test_envbool_reads_true(monkeypatch, raw):
    monkeypatch.setenv("FLAG", raw)
    assert envbool("FLAG") is True


@pytest.mark.parametrize("raw", ["0", "false", "no", "off"])
def test_envbool_reads_false(monkeypatch, raw):
    monkeypatch.setenv("FLAG", raw)
    assert envbool("FLAG", default=True) is False


def test_envbool_uses_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("FLAG", raising=False)
    assert envbool("FLAG", default=True) is True


def test_envbool_fails_loudly_on_a_typo(monkeypatch):
    monkeypatch.setenv("DEBUG", "flase")
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        envbool("DEBUG")


def test_envint_reads_a_number_and_rejects_words(monkeypatch):
    monkeypatch.setenv("SIZE", "25")
    assert envint("SIZE", 50) == 25
    monkeypatch.setenv("SIZE", "lots")
    with pytest.raises(ImproperlyConfigured, match="SIZE"):
        envint("SIZE", 50)


def test_envlist_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.example, b.example,,")
    assert envlist("HOSTS", []) == ["a.example", "b.example"]
    monkeypatch.delenv("HOSTS")
    assert envlist("HOSTS", ["x"]) == ["x"]


def test_envstr_treats_blank_as_unset(monkeypatch):
    monkeypatch.setenv("LOG_LEVEL", "  ")
    assert envstr("LOG_LEVEL", "INFO") == "INFO"
    monkeypatch.setenv("LOG_LEVEL", "DEBUG")
    assert envstr("LOG_LEVEL", "INFO") == "DEBUG"


@pytest.mark.parametrize("raw", ["", "  "])
def test_a_blank_boolean_means_the_default_not_false(monkeypatch, raw):
    monkeypatch.setenv("SECURE_SSL_REDIRECT", raw)
    assert envbool("SECURE_SSL_REDIRECT", default=True) is True


def test_envint_refuses_a_number_below_its_minimum(monkeypatch):
    monkeypatch.setenv("NETLOG_PAGE_SIZE", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        envint("NETLOG_PAGE_SIZE", 50, min_value=1)
    monkeypatch.setenv("NETLOG_PAGE_SIZE", "1")
    assert envint("NETLOG_PAGE_SIZE", 50, min_value=1) == 1
