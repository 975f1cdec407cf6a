//! Writing an Open311 answer as JSON or XML (`.json` / `.xml` at the end of the path), errors included.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use chengguan_app::petitions::{Open311Error, Open311Refusal};
use serde::Serialize;
use serde_json::Value;

/// The format a path asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `.json` (also when no extension is given).
    Json,
    /// `.xml`.
    Xml,
}

/// Splits `GT-2026-000123.json` into the name and its format; an unknown extension is a 400.
pub fn split_format(segment: &str) -> Result<(&str, Format), Open311Error> {
    match segment.rsplit_once('.') {
        None => Ok((segment, Format::Json)),
        Some((name, "json")) => Ok((name, Format::Json)),
        Some((name, "xml")) => Ok((name, Format::Xml)),
        Some((_, other)) => Err(Open311Error::bad_request(format!(
            "不支持的格式「.{other}」，请用 .json 或 .xml"
        ))),
    }
}

/// An answer: `value` as JSON, or as XML under `<root>` with `<item>` for each element of a list.
pub fn answer<T: Serialize>(format: Format, root: &str, item: &str, value: &T) -> Response {
    let value = match serde_json::to_value(value) {
        Ok(v) => v,
        Err(e) => {
            tracing::error!(error = %e, "serialising an Open311 answer");
            return error(format, &Open311Error::internal("服务器内部错误"));
        }
    };
    respond(format, StatusCode::OK, root, item, &value)
}

/// The spec's error answer: `[{"code": 400, "description": "…"}]` with that HTTP status; a 429 or a 503 says
/// when to try again (`Retry-After`, seconds).
pub fn error(format: Format, e: &Open311Error) -> Response {
    let status = match e.refusal {
        Open311Refusal::BadRequest => StatusCode::BAD_REQUEST,
        Open311Refusal::Forbidden => StatusCode::FORBIDDEN,
        Open311Refusal::NotFound => StatusCode::NOT_FOUND,
        Open311Refusal::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        Open311Refusal::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    };
    error_with_status(format, status, &e.description)
}

/// The spec's error answer with `status` (the server's own refusals, such as 429, have no app error).
pub fn error_with_status(format: Format, status: StatusCode, description: &str) -> Response {
    let body = serde_json::json!([{"code": status.as_u16(), "description": description}]);
    let mut r = respond(format, status, "errors", "error", &body);
    let retry = match status {
        StatusCode::TOO_MANY_REQUESTS => Some("1"),
        StatusCode::SERVICE_UNAVAILABLE => Some("5"),
        _ => None,
    };
    if let Some(secs) = retry {
        r.headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from_static(secs));
    }
    r
}

fn respond(format: Format, status: StatusCode, root: &str, item: &str, value: &Value) -> Response {
    match format {
        Format::Json => (
            status,
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            value.to_string(),
        )
            .into_response(),
        Format::Xml => {
            let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
            match value {
                Value::Array(items) => {
                    xml.push_str(&format!("<{root}>"));
                    for v in items {
                        element(&mut xml, item, v);
                    }
                    xml.push_str(&format!("</{root}>"));
                }
                other => element(&mut xml, root, other),
            }
            (
                status,
                [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
                xml,
            )
                .into_response()
        }
    }
}

/// Writes `<name>value</name>`; a list repeats the element under its singular name (`attributes` → `attribute`),
/// null is an empty element.
fn element(xml: &mut String, name: &str, v: &Value) {
    match v {
        Value::Null => xml.push_str(&format!("<{name}/>")),
        Value::Object(fields) => {
            xml.push_str(&format!("<{name}>"));
            for (k, v) in fields {
                if let Value::Array(items) = v {
                    xml.push_str(&format!("<{k}>"));
                    let one = k.strip_suffix('s').unwrap_or(k);
                    for i in items {
                        element(xml, one, i);
                    }
                    xml.push_str(&format!("</{k}>"));
                } else {
                    element(xml, k, v);
                }
            }
            xml.push_str(&format!("</{name}>"));
        }
        Value::Array(items) => {
            for i in items {
                element(xml, name, i);
            }
        }
        Value::String(s) => xml.push_str(&format!("<{name}>{}</{name}>", escape(s))),
        other => xml.push_str(&format!("<{name}>{other}</{name}>")),
    }
}

/// Escapes markup and replaces what XML 1.0 cannot carry at all (a stored control character would make the whole
/// answer unparsable for every client).
fn escape(s: &str) -> String {
    chengguan_app::text::xml_safe(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_and_names_list_items() {
        let mut xml = String::new();
        element(
            &mut xml,
            "service_definition",
            &serde_json::json!({"service_code": "a<b&c", "attributes": [], "lat": null}),
        );
        assert_eq!(
            xml,
            "<service_definition><attributes></attributes><lat/><service_code>a&lt;b&amp;c</service_code></service_definition>"
        );
    }

    #[test]
    fn the_extension_picks_the_format() {
        assert_eq!(
            split_format("services.xml").unwrap(),
            ("services", Format::Xml)
        );
        assert_eq!(
            split_format("GT-2026-000001.json").unwrap(),
            ("GT-2026-000001", Format::Json)
        );
        assert_eq!(
            split_format("requests.csv").unwrap_err().refusal,
            Open311Refusal::BadRequest
        );
    }

    #[test]
    fn r11_control_characters_never_reach_the_xml() {
        let mut xml = String::new();
        element(&mut xml, "description", &serde_json::json!("a\u{1}b\u{0}c"));
        assert_eq!(xml, "<description>a\u{FFFD}b\u{FFFD}c</description>");
    }
}
