//! HTTPS for the town's server: its certificate and key, and a town CA for towns that have none.
//!
//! A town with a certificate from the county uses it as it is (`--tls-cert`, `--tls-key`, PEM files). A town
//! without one runs `chengguan server init-tls`, which makes, with `rcgen`:
//! - `town-ca.crt` / `town-ca.key`: the town's own certificate authority (10 years). The `.crt` is what each
//!   workstation is given; the `.key` stays on the server, readable only by its user (or offline);
//! - `server.crt` / `server.key`: the server's certificate for the names and addresses workstations use, signed
//!   by that CA (about two years; run `init-tls` again to renew, keeping the CA).
//!
//! The server prints its certificate's SHA-256 fingerprint at start, so that a workstation set up without the
//! CA file can compare it on first connection.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use sha2::{Digest, Sha256};

/// The files of a server's TLS: where `init-tls` puts them.
#[derive(Debug, Clone)]
pub struct TlsFiles {
    /// The town CA's certificate (give it to each workstation).
    pub ca_cert: PathBuf,
    /// The server's certificate chain.
    pub cert: PathBuf,
    /// The server's private key.
    pub key: PathBuf,
    /// The server certificate's SHA-256 fingerprint, `AB:CD:…`.
    pub fingerprint: String,
}

/// The rustls configuration of a server with the certificate chain at `cert` and the key at `key` (PEM).
pub fn server_config(
    cert: &Path,
    key: &Path,
) -> Result<(Arc<rustls::ServerConfig>, String), String> {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .map_err(|e| format!("无法读取证书 {}：{e}", cert.display()))?
        .collect::<Result<_, _>>()
        .map_err(|e| format!("证书 {} 不是 PEM 格式：{e}", cert.display()))?;
    let first = chain
        .first()
        .ok_or_else(|| format!("证书 {} 中没有证书", cert.display()))?;
    let fingerprint = fingerprint(first);
    let key = PrivateKeyDer::from_pem_file(key)
        .map_err(|e| format!("无法读取私钥 {}（应为 PEM 格式的私钥）：{e}", key.display()))?;
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| format!("证书与私钥不匹配或不可用：{e}"))?;
    Ok((Arc::new(config), fingerprint))
}

/// The cryptography under TLS: *ring*, which builds with a C compiler alone (aws-lc-rs, rustls's default,
/// also needs CMake and NASM on the machines that build the .deb); it has no post-quantum key exchange yet.
#[allow(deprecated)]
pub fn provider() -> rustls::crypto::CryptoProvider {
    rustls::crypto::ring::default_provider()
}

/// The SHA-256 of a certificate (DER), as `AB:CD:…` (what browsers and `openssl x509 -fingerprint -sha256` show).
pub fn fingerprint(cert: &[u8]) -> String {
    Sha256::digest(cert)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// Makes the town CA (unless `dir` has one already, which is kept) and a server certificate for `names` and
/// `addresses` signed by it, in `dir`. Keys are written readable only by their owner.
pub fn init_tls(dir: &Path, names: &[String], addresses: &[IpAddr]) -> Result<TlsFiles, String> {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
        KeyUsagePurpose, SanType,
    };
    if names.is_empty() && addresses.is_empty() {
        return Err("至少给出一个服务器名称（--name）或地址（--ip），工作站将以此连接".into());
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("无法创建目录 {}：{e}", dir.display()))?;
    let ca_cert_path = dir.join("town-ca.crt");
    let ca_key_path = dir.join("town-ca.key");
    let today = chrono::Utc::now().date_naive();
    let date = |years: i32, days: u32| {
        use chrono::Datelike;
        let d = today + chrono::Days::new(u64::from(days));
        rcgen::date_time_ymd(d.year() + years, d.month() as u8, d.day().min(28) as u8)
    };
    let ca_key = match std::fs::read_to_string(&ca_key_path) {
        Ok(pem) => {
            KeyPair::from_pem(&pem).map_err(|e| format!("{}：{e}", ca_key_path.display()))?
        }
        Err(_) => KeyPair::generate().map_err(|e| e.to_string())?,
    };
    let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(|e| e.to_string())?;
    ca.distinguished_name
        .push(DnType::CommonName, "城关镇智慧治理指挥中心 CA");
    ca.distinguished_name
        .push(DnType::OrganizationName, "高台县城关镇");
    ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    ca.not_before = date(0, 0);
    ca.not_after = date(10, 0);
    let ca_cert = ca.self_signed(&ca_key).map_err(|e| e.to_string())?;
    let keep_ca = ca_cert_path.exists() && ca_key_path.exists();

    let key = KeyPair::generate().map_err(|e| e.to_string())?;
    let mut server =
        CertificateParams::new(names.to_vec()).map_err(|e| format!("服务器名称无效：{e}"))?;
    server
        .subject_alt_names
        .extend(addresses.iter().map(|ip| SanType::IpAddress(*ip)));
    server.distinguished_name.push(
        DnType::CommonName,
        names
            .first()
            .cloned()
            .unwrap_or_else(|| addresses[0].to_string()),
    );
    server.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    server.not_before = date(0, 0);
    server.not_after = date(2, 0);
    let cert = server
        .signed_by(&key, &ca_cert, &ca_key)
        .map_err(|e| e.to_string())?;

    let cert_path = dir.join("server.crt");
    let key_path = dir.join("server.key");
    if !keep_ca {
        write(&ca_key_path, &ca_key.serialize_pem(), true)?;
        write(&ca_cert_path, &ca_cert.pem(), false)?;
    }
    // The chain a workstation is sent: the server's certificate, then the CA's (as kept on disk).
    let ca_pem = std::fs::read_to_string(&ca_cert_path)
        .map_err(|e| format!("{}：{e}", ca_cert_path.display()))?;
    write(&cert_path, &format!("{}{ca_pem}", cert.pem()), false)?;
    write(&key_path, &key.serialize_pem(), true)?;
    Ok(TlsFiles {
        ca_cert: ca_cert_path,
        cert: cert_path,
        key: key_path,
        fingerprint: fingerprint(cert.der()),
    })
}

/// Writes `text` to `path`; a secret is readable only by its owner.
fn write(path: &Path, text: &str, secret: bool) -> Result<(), String> {
    let fail = |e: std::io::Error| format!("无法写入 {}：{e}", path.display());
    let tmp = path.with_extension("tmp-chengguan");
    {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        if secret {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let _ = secret;
        let mut file = options.open(&tmp).map_err(fail)?;
        std::io::Write::write_all(&mut file, text.as_bytes()).map_err(fail)?;
        file.sync_all().map_err(fail)?;
    }
    std::fs::rename(&tmp, path).map_err(fail)
}
