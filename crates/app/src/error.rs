use chengguan_core::geo::geojson::Problem;
use chengguan_store::StoreError;

/// What a use-case can fail with. Every variant has a stable English [`code`](Self::code) for programs and a
/// message in Chinese for people.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The database failed or refused (conflict, connection, schema…).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A file could not be read or written.
    #[error("无法读写文件 {path}：{source}")]
    File {
        /// The file.
        path: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A GeoJSON file was refused; every problem names its feature.
    #[error("GeoJSON 文件未通过检查，未写入任何数据（{} 个问题）", .0.len())]
    GeoJson(Vec<Problem>),
    /// The demo town was asked for over existing data without `force`.
    #[error("数据库中已有城镇数据，未加载演示数据；如确需覆盖请加 --force（将删除现有数据）")]
    DemoOverData,
    /// The database has no town yet.
    #[error("数据库尚未初始化，请先运行 chengguan init")]
    NotInitialised,
    /// No grid has this code.
    #[error("没有编码为 {0} 的网格")]
    GridNotFound(String),
    /// The configuration is invalid; the message names the setting.
    #[error("配置无效：{0}")]
    Config(String),
}

impl AppError {
    /// A stable English code, e.g. `geojson.invalid` or `store.conflict`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Store(e) => e.code(),
            Self::File { .. } => "file.io",
            Self::GeoJson(_) => "geojson.invalid",
            Self::DemoOverData => "demo.not_empty",
            Self::NotInitialised => "town.not_initialised",
            Self::GridNotFound(_) => "grid.not_found",
            Self::Config(_) => "config.invalid",
        }
    }

    /// The detailed problems of a refused file (empty for other errors).
    pub fn problems(&self) -> &[Problem] {
        match self {
            Self::GeoJson(p) => p,
            _ => &[],
        }
    }
}
