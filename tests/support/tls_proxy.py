"""A TLS front for a local plain-HTTP server (moto), for clients that must use HTTPS.

The AWS SDK for Java v1 inside Hadoop's S3A connector refuses to send SSE-KMS
parameters over plain HTTP ("HTTPS must be used when sending customer encryption
keys"), and S3A sends them whenever it copies an SSE-KMS object (every commit's
rename). AWS S3 itself is HTTPS only. So the suite that runs the jobs on s3:// reaches
moto through this proxy: a self-signed certificate for 127.0.0.1 (made with the
`cryptography` package moto already depends on), one thread per connection, bytes
copied both ways. Clients turn certificate checks off for it
(``-Dcom.amazonaws.sdk.disableCertChecking=true``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import select
import socket
import ssl
import tempfile
import threading
from pathlib import Path


def _self_signed(directory: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class TlsProxy:
    """https://127.0.0.1:<port> -> http://127.0.0.1:<target_port>."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self._dir = tempfile.TemporaryDirectory(prefix="tls-proxy-")
        cert, key = _self_signed(Path(self._dir.name))
        self._context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._context.load_cert_chain(cert, key)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="tls-proxy", daemon=True)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def start(self) -> TlsProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        with contextlib.suppress(OSError):
            self._listener.close()
        self._dir.cleanup()

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(client,), daemon=True).start()

    def _handle(self, client: socket.socket) -> None:
        try:
            secure = self._context.wrap_socket(client, server_side=True)
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
        except OSError:
            client.close()
            return
        peer = {secure: upstream, upstream: secure}
        try:
            while not self._stopping.is_set():
                ready = [secure] if secure.pending() else select.select(list(peer), [], [], 120)[0]
                if not ready:
                    return
                for source in ready:
                    chunk = source.recv(65536)
                    if not chunk:
                        return
                    peer[source].sendall(chunk)
        except OSError:
            return
        finally:
            for sock in (secure, upstream):
                with contextlib.suppress(OSError):
                    sock.close()
