"""The one TLS context of outgoing calls: shared, and verifying as httpx's default does."""

from __future__ import annotations

import ssl

from shared.tls import client_context


def test_outgoing_calls_share_one_context_that_verifies_certificates_and_host_names() -> None:
    context = client_context()
    assert context is client_context(), "built once per process, not per call"
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname is True
    assert context.get_ca_certs() or context.cert_store_stats()["x509_ca"] > 0, "no CA certificates loaded"
