//! The TypeScript types the UI uses are generated from the Rust DTOs: this test fails when `ui/src/bindings/` is
//! stale. Regenerate with `UPDATE_BINDINGS=1 cargo test -p chengguan-app --test app bindings`.

use chengguan_app::analysis::layers::{
    AlertList, AlertRow, ChoroplethLayer, HeatLayer, HotspotCell, HotspotLayer,
};
use chengguan_app::analysis::ChoroplethRow;
use chengguan_app::live::ChangeNotice;
use chengguan_app::petitions::{
    CategoryInput, ImportReport, NewPetition, PetitionPage, PetitionQuery, PetitionView, SlaRow,
    Step, TimelineEntry,
};
use std::path::{Path, PathBuf};

use chengguan_app::audit::{AuditQuery, AuditRow, AuditVerification};
use chengguan_app::config::settings::{Basemap, ConnectionCheck, DesktopSettings};
use chengguan_app::dto::AuthState;
use chengguan_app::dto::{ErrorDto, StatusBar};
use chengguan_app::map::{GridDetail, MapCommunity, MapGrid, PersonCard, TownMap};
use chengguan_app::people::PersonField;
use chengguan_app::users::{NewUser, SignedIn, UserView};
use ts_rs::TS;

fn export_all(dir: &Path) {
    // i64 counts arrive from JSON as plain numbers (they stay far below 2^53).
    let cfg = ts_rs::Config::new()
        .with_out_dir(dir)
        .with_large_int("number");
    TownMap::export_all(&cfg).expect("TownMap");
    MapCommunity::export_all(&cfg).expect("MapCommunity");
    MapGrid::export_all(&cfg).expect("MapGrid");
    GridDetail::export_all(&cfg).expect("GridDetail");
    PersonCard::export_all(&cfg).expect("PersonCard");
    ErrorDto::export_all(&cfg).expect("ErrorDto");
    StatusBar::export_all(&cfg).expect("StatusBar");
    Basemap::export_all(&cfg).expect("Basemap");
    ConnectionCheck::export_all(&cfg).expect("ConnectionCheck");
    DesktopSettings::export_all(&cfg).expect("DesktopSettings");
    AuthState::export_all(&cfg).expect("AuthState");
    SignedIn::export_all(&cfg).expect("SignedIn");
    UserView::export_all(&cfg).expect("UserView");
    NewUser::export_all(&cfg).expect("NewUser");
    PersonField::export_all(&cfg).expect("PersonField");
    AuditRow::export_all(&cfg).expect("AuditRow");
    AuditQuery::export_all(&cfg).expect("AuditQuery");
    AuditVerification::export_all(&cfg).expect("AuditVerification");
    PetitionView::export_all(&cfg).expect("PetitionView");
    PetitionPage::export_all(&cfg).expect("PetitionPage");
    PetitionQuery::export_all(&cfg).expect("PetitionQuery");
    NewPetition::export_all(&cfg).expect("NewPetition");
    Step::export_all(&cfg).expect("Step");
    TimelineEntry::export_all(&cfg).expect("TimelineEntry");
    ChangeNotice::export_all(&cfg).expect("ChangeNotice");
    ImportReport::export_all(&cfg).expect("ImportReport");
    SlaRow::export_all(&cfg).expect("SlaRow");
    CategoryInput::export_all(&cfg).expect("CategoryInput");
    HeatLayer::export_all(&cfg).expect("HeatLayer");
    ChoroplethLayer::export_all(&cfg).expect("ChoroplethLayer");
    ChoroplethRow::export_all(&cfg).expect("ChoroplethRow");
    HotspotLayer::export_all(&cfg).expect("HotspotLayer");
    HotspotCell::export_all(&cfg).expect("HotspotCell");
    AlertList::export_all(&cfg).expect("AlertList");
    AlertRow::export_all(&cfg).expect("AlertRow");
}

fn files(dir: &Path) -> Vec<(String, String)> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter(|e| e.path().extension().is_some_and(|x| x == "ts"))
                .map(|e| {
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        std::fs::read_to_string(e.path()).unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn ui_bindings_are_fresh() {
    let committed: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "..",
        "..",
        "ui",
        "src",
        "bindings",
    ]
    .iter()
    .collect();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::create_dir_all(&committed).expect("bindings dir");
        export_all(&committed);
    }
    let fresh = tempfile::tempdir().expect("temp dir");
    export_all(fresh.path());
    assert_eq!(
        files(&committed),
        files(fresh.path()),
        "ui/src/bindings is stale: run UPDATE_BINDINGS=1 cargo test -p chengguan-app --test app bindings"
    );
}
