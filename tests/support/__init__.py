"""Helpers the tests share: real servers, settings, factories."""
