//! Imports over HTTP: `POST /api/ingest/{kind}` streams the request body into the import
//! engine (never buffering the file), plus the import records and their error reports.

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use futures_util::TryStreamExt;
use omnify::model::{ColumnMapping, CreateImportRequest, ImportDto, ImportFormat, ImportKind};
use omnify::services::imports::{self, ImportRequest};
use omnify::ApiError;
use serde::Deserialize;
use tokio_util::io::{StreamReader, SyncIoBridge};

use super::ApiResult;
use crate::extract::{ApiJson, ApiPath, ApiQuery, CurrentActor};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
pub struct IngestParams {
    /// csv or ndjson; else taken from Content-Type or the file name.
    pub format: Option<String>,
    /// JSON object: target field → file column.
    pub mapping: Option<String>,
    /// Run (or resume) this import instead of starting a new one.
    pub import_id: Option<String>,
    pub file_name: Option<String>,
}

pub async fn ingest(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ApiPath(kind): ApiPath<String>,
    ApiQuery(params): ApiQuery<IngestParams>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Json<ImportDto>> {
    let kind = ImportKind::parse(&kind).ok_or_else(|| {
        ApiError::not_found("Import kind").with_field("kind")
    })?;
    let format = format_of(&params, &headers)?;
    let mapping: ColumnMapping = match params.mapping.as_deref().filter(|m| !m.trim().is_empty()) {
        Some(m) => serde_json::from_str(m)
            .map_err(|_| ApiError::validation("mapping", "mapping must be a JSON object of field → column names"))?,
        None => ColumnMapping::new(),
    };
    let stream = body.into_data_stream().map_err(std::io::Error::other);
    let input = SyncIoBridge::new(StreamReader::new(stream));
    let req = ImportRequest { kind, format, mapping, file_name: params.file_name, import_id: params.import_id };
    Ok(Json(imports::run(&state.core, &actor, req, input).await?))
}

fn format_of(params: &IngestParams, headers: &HeaderMap) -> Result<ImportFormat, ApiError> {
    if let Some(f) = &params.format {
        return ImportFormat::parse(f).ok_or_else(|| ApiError::validation("format", "format must be csv or ndjson"));
    }
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match essence.as_str() {
        "text/csv" | "application/csv" => return Ok(ImportFormat::Csv),
        "application/x-ndjson" | "application/ndjson" | "application/jsonl" | "application/json" => {
            return Ok(ImportFormat::Ndjson)
        }
        _ => {}
    }
    let extension = params.file_name.as_deref().and_then(|n| n.rsplit_once('.')).map(|(_, e)| e.to_ascii_lowercase());
    extension
        .as_deref()
        .and_then(ImportFormat::parse)
        .ok_or_else(|| ApiError::validation("format", "Say the file's format: ?format=csv or ?format=ndjson, or a text/csv or application/x-ndjson Content-Type"))
}

pub async fn create(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ApiJson(req): ApiJson<CreateImportRequest>,
) -> ApiResult<(StatusCode, Json<ImportDto>)> {
    Ok((StatusCode::CREATED, Json(imports::create(&state.core, &actor, req).await?)))
}

pub async fn list(State(state): State<AppState>, CurrentActor(actor): CurrentActor) -> ApiResult<Json<Vec<ImportDto>>> {
    Ok(Json(imports::list(&state.core, &actor).await?))
}

pub async fn get(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<ImportDto>> {
    Ok(Json(imports::get(&state.core, &actor, &id).await?))
}

/// The row-level error report, as a CSV download.
pub async fn errors(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<impl IntoResponse> {
    let csv = imports::error_report_csv(&state.core, &actor, &id).await?;
    let disposition = format!("attachment; filename=\"import-{id}-errors.csv\"");
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition)], csv))
}
