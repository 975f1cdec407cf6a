//! Open311 GeoReport v2 (<https://wiki.open311.org/GeoReport_v2>): the services (our categories), the request
//! representation, the search rules and the intake of a posted request. The HTTP server (`chengguan-server`) only
//! parses parameters and writes these values as JSON or XML.
//!
//! Who may read: `GET requests` and `requests/{id}` need a key made with the read scope (GeoReport v2 allows
//! `api_key` on every call) and then show every Open311 field. With `[open311] public_read = true` a client
//! without such a key gets the public fields only ([`Open311Request::public`]), and only petitions of the last
//! 90 days, so that numbering 1, 2, 3… does not let anyone walk the town's history. The reporter's name, phone,
//! e-mail and device never appear in an answer; contacts typed into a description are blanked for the public.
//!
//! Extensions, as the spec allows: `coord_system=wgs84|gcj02|bd09` on POST (the mini-program sends GCJ-02),
//! `channel` on POST (default `miniprogram_photo`), `page`/`page_size` and `extensions=true` on GET (our status,
//! level, grid and the resident's rating under `extended_attributes`).

use chengguan_core::access::{api_key_hash, ApiKey};
use chengguan_core::petitions::taxonomy::Taxonomy;
use chengguan_core::petitions::workflow::Status;
use chengguan_core::petitions::Channel;
use chengguan_core::petitions::{Petition, PetitionNumber};
use chengguan_store::prelude::*;
use chengguan_store::PetitionFilter;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde::Serialize;
use serde_json::json;

use super::{Contact, NewPetition};
use crate::text;
use crate::{App, AppError};

/// Most days a search may span, and its default window.
pub const OPEN311_MAX_DAYS: i64 = 90;
/// Most requests one search returns when no page size is given.
pub const OPEN311_DEFAULT_LIMIT: i64 = 1000;

/// A service (request type): one category of the taxonomy.
#[derive(Debug, Clone, Serialize)]
pub struct Open311Service {
    /// Category code.
    pub service_code: String,
    /// Category name.
    pub service_name: String,
    /// What it covers.
    pub description: Option<String>,
    /// No extra attributes are asked.
    pub metadata: bool,
    /// Always `realtime`: a request is numbered at once.
    #[serde(rename = "type")]
    pub kind: String,
    /// Comma-separated keywords.
    pub keywords: Option<String>,
    /// The group shown in clients.
    pub group: Option<String>,
}

/// A service's definition: ours ask no extra attributes.
#[derive(Debug, Clone, Serialize)]
pub struct Open311ServiceDefinition {
    /// Category code.
    pub service_code: String,
    /// Always empty.
    pub attributes: Vec<serde_json::Value>,
}

/// A service request as Open311 shows it (no personal data of the reporter).
#[derive(Debug, Clone, Serialize)]
pub struct Open311Request {
    /// Our number, e.g. `GT-2026-000123`.
    pub service_request_id: String,
    /// `open` or `closed`.
    pub status: String,
    /// Our status in words.
    pub status_notes: Option<String>,
    /// Category name.
    pub service_name: Option<String>,
    /// Category code.
    pub service_code: String,
    /// What the resident reported.
    pub description: Option<String>,
    /// Who handles it.
    pub agency_responsible: Option<String>,
    /// What happens next.
    pub service_notice: Option<String>,
    /// When it arrived (W3C date-time).
    pub requested_datetime: String,
    /// When it last changed.
    pub updated_datetime: Option<String>,
    /// Its deadline while open.
    pub expected_datetime: Option<String>,
    /// Address as given.
    pub address: Option<String>,
    /// Not used.
    pub address_id: Option<String>,
    /// 高台县's postal code.
    pub zipcode: Option<String>,
    /// WGS-84 latitude.
    pub lat: Option<f64>,
    /// WGS-84 longitude.
    pub long: Option<f64>,
    /// Photo or recording.
    pub media_url: Option<String>,
    /// Our own fields, with `extensions=true`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extended_attributes: Option<serde_json::Value>,
}

/// The answer to a posted request: numbered at once, so the id is given (the token is the same id).
#[derive(Debug, Clone, Serialize)]
pub struct Open311Created {
    /// Our number.
    pub service_request_id: String,
    /// The token `tokens/{token}` resolves.
    pub token: String,
    /// What happens next.
    pub service_notice: String,
    /// Not used.
    pub account_id: Option<String>,
}

/// What `tokens/{token}` returns.
#[derive(Debug, Clone, Serialize)]
pub struct Open311Token {
    /// Our number.
    pub service_request_id: String,
    /// The token asked about.
    pub token: String,
}

/// The parameters of `POST requests`, as received (form fields; unknown ones are ignored).
#[derive(Debug, Clone, Default)]
pub struct Open311Post {
    /// Required.
    pub api_key: Option<String>,
    /// Must be the town's code when given.
    pub jurisdiction_id: Option<String>,
    /// Category code (required).
    pub service_code: Option<String>,
    /// Latitude (in `coord_system`).
    pub lat: Option<String>,
    /// Longitude.
    pub long: Option<String>,
    /// `wgs84` (default), `gcj02`, `bd09`.
    pub coord_system: Option<String>,
    /// Address as typed.
    pub address_string: Option<String>,
    /// Not used (we have no master address list); accepted as the address.
    pub address_id: Option<String>,
    /// Resident's given name.
    pub first_name: Option<String>,
    /// Resident's family name.
    pub last_name: Option<String>,
    /// Resident's phone.
    pub phone: Option<String>,
    /// Resident's e-mail (kept with the reporter's data, never published).
    pub email: Option<String>,
    /// The sending device's id (kept with the reporter's data, never published).
    pub device_id: Option<String>,
    /// Description (required: a petition without words cannot be handled).
    pub description: Option<String>,
    /// Photo URL.
    pub media_url: Option<String>,
    /// Our channel code (default `miniprogram_photo`).
    pub channel: Option<String>,
}

/// The parameters of `GET requests`.
#[derive(Debug, Clone, Default)]
pub struct Open311Search {
    /// A key with the read scope; without one, only the public view (when it is enabled).
    pub api_key: Option<String>,
    /// Must be the town's code when given.
    pub jurisdiction_id: Option<String>,
    /// Comma-separated numbers; when given, the other filters are ignored (as the spec says).
    pub service_request_id: Option<String>,
    /// Comma-separated category codes.
    pub service_code: Option<String>,
    /// W3C date-time.
    pub start_date: Option<String>,
    /// W3C date-time.
    pub end_date: Option<String>,
    /// Comma-separated `open`, `closed`.
    pub status: Option<String>,
    /// Page from 1 (extension).
    pub page: Option<String>,
    /// Page size, 1–1000 (extension).
    pub page_size: Option<String>,
    /// `true`: add `extended_attributes`.
    pub extensions: Option<String>,
}

/// Why the intake refuses a request, in GeoReport v2's terms. The server gives each its HTTP status
/// (`chengguan_server::format`); the app knows no HTTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Open311Refusal {
    /// The request is malformed or a value is out of range (HTTP 400).
    BadRequest,
    /// No key, a revoked key, or a key without the scope (HTTP 403).
    Forbidden,
    /// No such service, request, token or jurisdiction (HTTP 404).
    NotFound,
    /// The database cannot be reached or is busy; the client should retry (HTTP 503).
    Unavailable,
    /// A fault of ours, logged; nothing the client can fix (HTTP 500).
    Internal,
}

/// An Open311 error: why, and the description the spec's `[{code, description}]` carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Open311Error {
    /// Why.
    pub refusal: Open311Refusal,
    /// In words.
    pub description: String,
}

impl Open311Error {
    /// A malformed request.
    pub fn bad_request(description: impl Into<String>) -> Self {
        Self::new(Open311Refusal::BadRequest, description)
    }
    fn forbidden(description: impl Into<String>) -> Self {
        Self::new(Open311Refusal::Forbidden, description)
    }
    /// Nothing by that name.
    pub fn not_found(description: impl Into<String>) -> Self {
        Self::new(Open311Refusal::NotFound, description)
    }
    /// A fault of ours.
    pub fn internal(description: impl Into<String>) -> Self {
        Self::new(Open311Refusal::Internal, description)
    }
    fn new(refusal: Open311Refusal, description: impl Into<String>) -> Self {
        Self {
            refusal,
            description: description.into(),
        }
    }
}

impl From<AppError> for Open311Error {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Invalid { field, problem } => {
                Self::bad_request(format!("{field}：{problem}"))
            }
            AppError::Store(s) if s.is_unavailable() => {
                tracing::error!(error = %s, "open311: the database is unavailable");
                Self::new(Open311Refusal::Unavailable, "数据库暂时不可用，请稍后重试")
            }
            other => {
                tracing::error!(error = %other, "open311");
                Self::internal("服务器内部错误，请稍后重试")
            }
        }
    }
}

type Answer<T> = std::result::Result<T, Open311Error>;

impl App {
    /// The services: the categories new petitions may use, in the town's order.
    pub async fn open311_services(&self) -> Answer<Vec<Open311Service>> {
        Ok(self
            .taxonomy()
            .await?
            .active()
            .map(|c| Open311Service {
                service_code: c.code.clone(),
                service_name: c.name.clone(),
                description: Some(c.description.clone()).filter(|d| !d.is_empty()),
                metadata: false,
                kind: "realtime".into(),
                keywords: Some(c.description.replace('、', ",")).filter(|k| !k.is_empty()),
                group: Some("诉求".into()),
            })
            .collect())
    }

    /// The definition of service `code` (404 for an unknown or retired one).
    pub async fn open311_service_definition(&self, code: &str) -> Answer<Open311ServiceDefinition> {
        self.taxonomy()
            .await?
            .usable(code)
            .map(|c| Open311ServiceDefinition {
                service_code: c.code.clone(),
                attributes: Vec::new(),
            })
            .ok_or_else(|| Open311Error::not_found(format!("没有服务「{code}」")))
    }

    /// Checks `jurisdiction_id` against the town's code (absent: fine).
    pub async fn open311_jurisdiction(&self, jurisdiction_id: Option<&str>) -> Answer<()> {
        let Some(asked) = jurisdiction_id.map(str::trim).filter(|j| !j.is_empty()) else {
            return Ok(());
        };
        let town = self.store.town().await.map_err(AppError::from)?;
        match town {
            Some(t) if t.code == asked => Ok(()),
            _ => Err(Open311Error::not_found(format!("没有管辖区「{asked}」"))),
        }
    }

    /// The key in force whose secret is `key`, or 403.
    async fn intake_key(&self, key: Option<&str>) -> Answer<ApiKey> {
        let key = key
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .ok_or_else(|| {
                Open311Error::forbidden("缺少 api_key（向管理员申请：chengguan apikey create）")
            })?;
        self.store
            .api_key_in_force(&api_key_hash(key))
            .await
            .map_err(AppError::from)?
            .ok_or_else(|| Open311Error::forbidden("api_key 无效或已吊销"))
    }

    /// `POST requests`: checks the key and every field, registers the petition in the key's name (`apikey:NAME`)
    /// and answers with its number. Anything wrong is a 400 and nothing is stored.
    // No `err` here: a refused post is the client's mistake, and its message may hold what the client typed;
    // the server logs the status of every request instead.
    #[tracing::instrument(skip_all)]
    pub async fn open311_post(&self, post: &Open311Post) -> Answer<Open311Created> {
        let key = self.intake_key(post.api_key.as_deref()).await?;
        self.open311_jurisdiction(post.jurisdiction_id.as_deref())
            .await?;
        check_fields(post)?;
        let text = |v: &Option<String>| v.as_deref().map(str::trim).unwrap_or("").to_string();
        let service_code = text(&post.service_code);
        if service_code.is_empty() {
            return Err(Open311Error::bad_request("缺少 service_code"));
        }
        if self.taxonomy().await?.usable(&service_code).is_none() {
            return Err(Open311Error::not_found(format!(
                "没有服务「{service_code}」"
            )));
        }
        let number = |name: &str, v: &Option<String>| -> Answer<Option<f64>> {
            match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(s) => s
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .map(Some)
                    .ok_or_else(|| Open311Error::bad_request(format!("{name}「{s}」不是数字"))),
            }
        };
        let lat = number("lat", &post.lat)?;
        let lon = number("long", &post.long)?;
        let address = [text(&post.address_string), text(&post.address_id)]
            .into_iter()
            .find(|a| !a.is_empty())
            .unwrap_or_default();
        if lat.is_none() && lon.is_none() && address.is_empty() {
            return Err(Open311Error::bad_request(
                "须提供位置：lat 与 long，或 address_string，或 address_id",
            ));
        }
        let media_url = text(&post.media_url);
        let web = media_url.starts_with("https://") || media_url.starts_with("http://");
        if !media_url.is_empty() && !web {
            return Err(Open311Error::bad_request(format!(
                "media_url「{media_url}」不是 http(s) 地址"
            )));
        }
        let name = format!("{}{}", text(&post.last_name), text(&post.first_name));
        let contact = Contact {
            email: text(&post.email),
            device: text(&post.device_id),
        };
        let description = text(&post.description);
        let new = NewPetition {
            channel: post
                .channel
                .clone()
                .filter(|c| !c.trim().is_empty())
                .unwrap_or_else(|| Channel::MiniprogramPhoto.code().into()),
            category: service_code,
            description,
            lon,
            lat,
            crs: post.coord_system.clone().filter(|c| !c.trim().is_empty()),
            address,
            reporter_name: if name.is_empty() {
                "匿名".into()
            } else {
                name
            },
            reporter_phone: text(&post.phone),
            media_url: (!media_url.is_empty()).then_some(media_url),
        };
        let created = self
            .register(&format!("apikey:{}", key.name), &new, false, contact)
            .await?;
        let deadline = created
            .deadline
            .with_timezone(&chengguan_core::time::beijing())
            .format("%Y-%m-%d %H:%M");
        Ok(Open311Created {
            token: created.id.to_string(),
            service_request_id: created.number.to_string(),
            service_notice: format!("已登记，将在 {deadline} 前受理办理"),
            account_id: None,
        })
    }

    /// `GET requests`: by numbers, or by service, dates (at most 90 days apart; default the last 90 days) and
    /// open/closed, newest first, at most 1,000 (or one page).
    pub async fn open311_search(&self, q: &Open311Search) -> Answer<Vec<Open311Request>> {
        let reader = self.open311_reader(q.api_key.as_deref()).await?;
        self.open311_jurisdiction(q.jurisdiction_id.as_deref())
            .await?;
        let extensions = flag(q.extensions.as_deref())?;
        let list = |v: &Option<String>| -> Vec<String> {
            v.as_deref()
                .unwrap_or("")
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect()
        };
        let now = self.clock.now();
        let taxonomy = self.taxonomy().await?;
        let mut ids = list(&q.service_request_id);
        dedup(&mut ids);
        if !ids.is_empty() {
            let mut found = Vec::new();
            for id in ids.iter().take(OPEN311_DEFAULT_LIMIT as usize) {
                if let Some(p) = self.open311_petition(id, reader).await? {
                    found.push(reader.show(request_of(&p, extensions, now, &taxonomy)));
                }
            }
            return Ok(found);
        }
        let mut codes = list(&q.service_code);
        dedup(&mut codes);
        if let Some(bad) = codes.iter().find(|c| taxonomy.get(c).is_none()) {
            return Err(Open311Error::bad_request(format!(
                "service_code「{bad}」未知"
            )));
        }
        let mut asked = list(&q.status);
        dedup(&mut asked);
        let mut statuses = Vec::new();
        for s in asked {
            let open = match s.as_str() {
                "open" => true,
                "closed" => false,
                other => {
                    return Err(Open311Error::bad_request(format!(
                        "status「{other}」无效，应为 open 或 closed"
                    )))
                }
            };
            statuses.extend(
                Status::ALL
                    .iter()
                    .filter(|st| st.is_open() == open)
                    .map(|st| st.code().to_string()),
            );
        }
        let start = w3c_date("start_date", q.start_date.as_deref())?;
        let end = w3c_date("end_date", q.end_date.as_deref())?;
        let span = Duration::days(OPEN311_MAX_DAYS);
        let (from, to) = match (start, end) {
            (Some(s), Some(e)) => (s, e),
            (Some(s), None) => (s, (s + span).min(now).max(s)),
            (None, Some(e)) => (e - span, e),
            (None, None) => (now - span, now),
        };
        if to < from {
            return Err(Open311Error::bad_request("end_date 早于 start_date"));
        }
        if to - from > span {
            return Err(Open311Error::bad_request(format!(
                "start_date 与 end_date 相隔不得超过 {OPEN311_MAX_DAYS} 天"
            )));
        }
        // The public sees the last 90 days only, however the window is asked.
        let from = match reader {
            Reader::Public => from.max(now - span),
            Reader::Keyed => from,
        };
        let page = positive("page", q.page.as_deref(), 1, i64::MAX)?;
        let page_size = positive(
            "page_size",
            q.page_size.as_deref(),
            OPEN311_DEFAULT_LIMIT,
            OPEN311_DEFAULT_LIMIT,
        )?;
        let filter = PetitionFilter {
            statuses,
            categories: codes,
            received_from: Some(from),
            received_before: Some(to + Duration::microseconds(1)),
            offset: (page - 1).saturating_mul(page_size),
            limit: page_size,
            ..Default::default()
        };
        let petitions = self
            .store
            .petitions(&filter)
            .await
            .map_err(AppError::from)?;
        Ok(petitions
            .iter()
            .map(|p| reader.show(request_of(p, extensions, now, &taxonomy)))
            .collect())
    }

    /// Who is reading: a key with the read scope sees every Open311 field; anyone else the public fields, when
    /// `[open311] public_read` is on, else 403.
    async fn open311_reader(&self, api_key: Option<&str>) -> Answer<Reader> {
        let given = api_key.map(str::trim).filter(|k| !k.is_empty());
        if let Some(key) = given {
            let key = self.intake_key(Some(key)).await?;
            if key.can_read {
                return Ok(Reader::Keyed);
            }
            if !self.open311_public_read {
                return Err(Open311Error::forbidden(format!(
                    "api_key「{}」只能提交诉求，无读取权限",
                    key.prefix
                )));
            }
        } else if !self.open311_public_read {
            return Err(Open311Error::forbidden(
                "读取诉求须提供具有读取权限的 api_key（chengguan apikey create --read）",
            ));
        }
        Ok(Reader::Public)
    }

    /// `GET requests/{id}`: one request (404 when there is none).
    pub async fn open311_request(
        &self,
        id: &str,
        extensions: Option<&str>,
        api_key: Option<&str>,
    ) -> Answer<Open311Request> {
        let reader = self.open311_reader(api_key).await?;
        let extensions = flag(extensions)?;
        let p = self
            .open311_petition(id, reader)
            .await?
            .ok_or_else(|| Open311Error::not_found(format!("没有诉求 {id}")))?;
        Ok(reader.show(request_of(
            &p,
            extensions,
            self.clock.now(),
            &*self.taxonomy().await?,
        )))
    }

    /// `GET tokens/{token}`: the number the token was given.
    pub async fn open311_token(&self, token: &str) -> Answer<Open311Token> {
        let not_found = || Open311Error::not_found(format!("没有令牌 {token}"));
        let id = uuid::Uuid::parse_str(token.trim()).map_err(|_| not_found())?;
        let p = self
            .store
            .petition(id)
            .await
            .map_err(AppError::from)?
            .ok_or_else(not_found)?;
        Ok(Open311Token {
            service_request_id: p.number.to_string(),
            token: token.trim().into(),
        })
    }

    /// The petition numbered `number`; for the public only one received in the last 90 days.
    async fn open311_petition(&self, number: &str, reader: Reader) -> Answer<Option<Petition>> {
        let Ok(n) = number.trim().parse::<PetitionNumber>() else {
            return Ok(None);
        };
        let found = self
            .store
            .petition_by_number(i64::from(n.year), i64::from(n.sequence))
            .await
            .map_err(AppError::from)?;
        let recent = self.clock.now() - Duration::days(OPEN311_MAX_DAYS);
        Ok(found.filter(|p| reader == Reader::Keyed || p.received_at >= recent))
    }
}

/// Who reads, and so which fields an answer carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reader {
    /// A key with the read scope: every Open311 field.
    Keyed,
    /// Anyone, with `[open311] public_read`: [`Open311Request::public`].
    Public,
}

impl Reader {
    fn show(self, r: Open311Request) -> Open311Request {
        match self {
            Reader::Keyed => r,
            Reader::Public => r.public(),
        }
    }
}

impl Open311Request {
    /// What anyone may read: number, service, status, dates, the point rounded to 0.001° (about 100 m; the
    /// grid under `extended_attributes`), and the description with phone numbers, ID numbers and e-mail addresses
    /// blanked. No address, photo, handler or rating comment: those may name or show a person.
    pub fn public(self) -> Self {
        let round = |x: f64| (x * 1000.0).round() / 1000.0;
        Open311Request {
            description: self.description.map(|d| text::redact_contacts(&d)),
            agency_responsible: None,
            address: None,
            lat: self.lat.map(round),
            long: self.long.map(round),
            media_url: None,
            extended_attributes: self.extended_attributes.map(|mut e| {
                if let Some(o) = e.as_object_mut() {
                    o.remove("rating_comment");
                }
                e
            }),
            ..self
        }
    }
}

/// Removes repeated values, keeping the first of each (a query may repeat `status=open` thousands of times).
fn dedup(values: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    values.retain(|v| seen.insert(v.clone()));
}

/// The Open311 representation of `p` at `now`.
fn request_of(
    p: &Petition,
    extensions: bool,
    now: DateTime<Utc>,
    taxonomy: &Taxonomy,
) -> Open311Request {
    let open = p.status.is_open();
    Open311Request {
        service_request_id: p.number.to_string(),
        status: if open { "open" } else { "closed" }.into(),
        status_notes: Some(p.status.label().into()),
        service_name: taxonomy.get(&p.category).map(|c| c.name.clone()),
        service_code: p.category.clone(),
        description: Some(p.description.chars().take(4000).collect()),
        agency_responsible: p.assignee.clone(),
        service_notice: None,
        requested_datetime: w3c(p.received_at),
        updated_datetime: Some(w3c(p.updated_at)),
        expected_datetime: open.then(|| w3c(p.deadline)),
        address: (!p.address.is_empty()).then(|| p.address.clone()),
        address_id: None,
        zipcode: Some("734300".into()),
        lat: p.location.map(|l| l[1]),
        long: p.location.map(|l| l[0]),
        media_url: p.media_url.clone(),
        extended_attributes: extensions.then(|| {
            json!({
                "status_code": p.status.code(),
                "status_label": p.status.label(),
                "channel": p.channel.code(),
                "level": p.level.map(|l| l.code()),
                "grid_code": p.grid_code,
                "overdue": chengguan_core::petitions::sla::is_overdue(open, p.deadline, now),
                "rating": p.rating,
                "rating_comment": p.rating_comment,
            })
        }),
    }
}

/// A W3C date-time in UTC, e.g. `2026-11-30T03:04:05Z`.
fn w3c(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn w3c_date(name: &str, v: Option<&str>) -> Answer<Option<DateTime<Utc>>> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => {
            let t = DateTime::parse_from_rfc3339(s)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| {
                    Open311Error::bad_request(format!(
                        "{name}「{s}」无效，应为 W3C 时间，如 2026-01-01T00:00:00Z"
                    ))
                })?;
            if !chengguan_core::time::in_range(t) {
                return Err(Open311Error::bad_request(format!(
                    "{name}「{s}」超出范围，年份应在 1900–2200 之间"
                )));
            }
            Ok(Some(t))
        }
    }
}

fn positive(name: &str, v: Option<&str>, default: i64, max: i64) -> Answer<i64> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| Open311Error::bad_request(format!("{name}「{s}」应为 1–{max} 的整数"))),
    }
}

fn flag(v: Option<&str>) -> Answer<bool> {
    match v.map(str::trim) {
        None | Some("") | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(other) => Err(Open311Error::bad_request(format!(
            "extensions「{other}」应为 true 或 false"
        ))),
    }
}

/// Every text field of a post within its limit and free of control characters, or a 400 naming the field by its
/// Open311 name (a NUL byte would otherwise reach PostgreSQL, which refuses it).
fn check_fields(post: &Open311Post) -> Answer<()> {
    let fields: [(&str, &Option<String>, usize, bool); 15] = [
        ("api_key", &post.api_key, text::SHORT_MAX, false),
        (
            "jurisdiction_id",
            &post.jurisdiction_id,
            text::SHORT_MAX,
            false,
        ),
        ("service_code", &post.service_code, text::SHORT_MAX, false),
        ("lat", &post.lat, text::SHORT_MAX, false),
        ("long", &post.long, text::SHORT_MAX, false),
        ("coord_system", &post.coord_system, text::SHORT_MAX, false),
        (
            "address_string",
            &post.address_string,
            text::ADDRESS_MAX,
            false,
        ),
        ("address_id", &post.address_id, text::ADDRESS_MAX, false),
        ("first_name", &post.first_name, text::NAME_MAX, false),
        ("last_name", &post.last_name, text::NAME_MAX, false),
        ("phone", &post.phone, text::SHORT_MAX, false),
        ("email", &post.email, text::URL_MAX, false),
        ("device_id", &post.device_id, text::SHORT_MAX, false),
        (
            "description",
            &post.description,
            text::DESCRIPTION_MAX,
            true,
        ),
        ("media_url", &post.media_url, text::URL_MAX, false),
    ];
    for (name, value, max, multiline) in fields {
        if let Some(v) = value {
            text::check(v.trim(), max, multiline)
                .map_err(|e| Open311Error::bad_request(format!("{name}：{e}")))?;
        }
    }
    if let Some(c) = &post.channel {
        text::check(c, text::SHORT_MAX, false)
            .map_err(|e| Open311Error::bad_request(format!("channel：{e}")))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r11_a_database_that_went_away_is_a_503_never_a_500() {
        let down = AppError::Store(chengguan_store::StoreError::Database(
            sqlx::Error::PoolTimedOut,
        ));
        assert_eq!(
            Open311Error::from(down).refusal,
            Open311Refusal::Unavailable
        );
        let bug = AppError::Store(chengguan_store::StoreError::Corrupt("x".into()));
        assert_eq!(Open311Error::from(bug).refusal, Open311Refusal::Internal);
    }
}
