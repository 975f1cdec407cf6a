//! The workstation's TLS: trusting the town's CA, or one pinned certificate by its fingerprint.

use std::path::Path;
use std::sync::{Arc, Mutex};

use chengguan_app::dto::ErrorDto;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use sha2::{Digest, Sha256};

use crate::error;

/// The SHA-256 of a certificate (DER) as `AB:CD:…`, as the server's console and `openssl x509 -fingerprint
/// -sha256` show it.
pub fn fingerprint(cert: &[u8]) -> String {
    Sha256::digest(cert)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// A fingerprint as typed: case, spaces and colons do not matter.
fn normalise(f: &str) -> String {
    f.chars()
        .filter(|c| c.is_ascii_hexdigit())
        .collect::<String>()
        .to_ascii_uppercase()
}

/// *ring*, as the server uses it (see `chengguan_server::tls::provider`).
#[allow(deprecated)]
fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn builder() -> rustls::ConfigBuilder<rustls::ClientConfig, rustls::WantsVerifier> {
    rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .expect("the provider supports TLS 1.2 and 1.3")
}

/// Trusts the CA certificate(s) in the PEM file at `path` and nothing else (not the system's roots).
pub(crate) fn with_ca(path: &Path) -> Result<rustls::ClientConfig, ErrorDto> {
    let bad = |why: String| {
        error(
            "server.ca",
            format!("城镇 CA 证书 {}：{why}", path.display()),
        )
    };
    let mut roots = rustls::RootCertStore::empty();
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
        .map_err(|e| bad(format!("无法读取（{e}）")))?
        .collect::<Result<_, _>>()
        .map_err(|e| bad(format!("不是 PEM 格式的证书（{e}）")))?;
    if certs.is_empty() {
        return Err(bad("文件中没有证书".into()));
    }
    for cert in certs {
        roots.add(cert).map_err(|e| bad(format!("不可用（{e}）")))?;
    }
    Ok(builder()
        .with_root_certificates(roots)
        .with_no_client_auth())
}

/// Trusts exactly the certificate whose fingerprint is `pinned` (its signatures still checked).
pub(crate) fn pinned(pinned: &str) -> Result<rustls::ClientConfig, ErrorDto> {
    let want = normalise(pinned);
    if want.len() != 64 {
        return Err(error(
            "server.fingerprint",
            format!("服务器指纹 {pinned:?} 应为 64 位十六进制（SHA-256），如 10:F7:16:…"),
        ));
    }
    let verifier = Verifier {
        provider: provider(),
        check: Check::Pinned(want),
    };
    Ok(builder()
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth())
}

/// Accepts any certificate and records its fingerprint: only for [`crate::probe`], which sends nothing but a
/// version request before the person confirms the fingerprint.
pub(crate) fn recording() -> (rustls::ClientConfig, Arc<Mutex<Option<String>>>) {
    let seen = Arc::new(Mutex::new(None));
    let verifier = Verifier {
        provider: provider(),
        check: Check::Record(seen.clone()),
    };
    let config = builder()
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    (config, seen)
}

#[derive(Debug)]
enum Check {
    Pinned(String),
    Record(Arc<Mutex<Option<String>>>),
}

#[derive(Debug)]
struct Verifier {
    provider: Arc<CryptoProvider>,
    check: Check,
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let seen = fingerprint(end_entity);
        match &self.check {
            Check::Pinned(want) if normalise(&seen) == *want => Ok(ServerCertVerified::assertion()),
            Check::Pinned(_) => Err(rustls::Error::General(format!(
                "certificate fingerprint {seen} is not the one confirmed for this server"
            ))),
            Check::Record(slot) => {
                *slot.lock().unwrap_or_else(|p| p.into_inner()) = Some(seen);
                Ok(ServerCertVerified::assertion())
            }
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}
