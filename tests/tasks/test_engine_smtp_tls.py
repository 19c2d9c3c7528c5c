"""SMTP over implicit TLS with authentication (smtps://user:password@host), against aiosmtpd."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from models.notify.digest import Mail
from tasks.mailer import SmtpSender, TransientDeliveryError
from tests.smtp_sink import Handler, free_port

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


def _certificate(tmp_path):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def _check(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == b"arshjul" and auth_data.password == b"hemligt"
    return AuthResult(success=ok)


@pytest.fixture
def tls_sink(tmp_path, monkeypatch):
    cert, key = _certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    handler, port = Handler(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, ssl_context=context,
                            authenticator=_check, auth_required=True,
                            # the whole connection is TLS (implicit), which aiosmtpd does not see
                            auth_require_tls=False)
    controller.start()
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client trusts our test CA
    yield handler, port
    controller.stop()


def _mail(to="anna@example.se") -> Mail:
    data = (f"From: a@example.se\r\nTo: {to}\r\nSubject: Test\r\nMessage-ID: <t@x>\r\n\r\n"
            "Hej\r\n").encode()
    return Mail("a@example.se", to, "<t@x>", data)


def test_smtps_with_login_reuses_one_connection(tls_sink):
    handler, port = tls_sink
    with SmtpSender(f"smtps://arshjul:hemligt@127.0.0.1:{port}") as sender:
        for _ in range(3):
            sender.send(_mail())
    assert len(handler.messages) == 3 and len(handler.sessions) == 1
    got = message_from_bytes(handler.messages[0].as_bytes(), policy=policy.default)
    assert got["Subject"] == "Test"


def test_wrong_password_is_a_transient_failure(tls_sink):
    _, port = tls_sink
    # timeout: after a refused AUTH PLAIN, smtplib tries AUTH LOGIN, which aiosmtpd leaves hanging
    with SmtpSender(f"smtps://arshjul:fel@127.0.0.1:{port}", timeout=2) as sender:
        with pytest.raises(TransientDeliveryError) as info:
            sender.send(_mail())
    assert "hemligt" not in str(info.value) and "fel@" not in str(info.value)
