//! The TypeScript types the UI uses are generated from the Rust DTOs, and its codes and labels from core's
//! vocabularies (`vocabulary.ts`): this test fails when `ui/src/bindings/` is stale. Regenerate with `UPDATE_BINDINGS=1 cargo test -p chengguan-app --test app bindings`.

use chengguan_app::analysis::layers::{
    AlertList, AlertRow, ChoroplethLayer, HeatLayer, HotspotCell, HotspotLayer,
};
use chengguan_app::analysis::ChoroplethRow;
use chengguan_app::live::{ChangeNotice, ConnectionEvent};
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
    chengguan_app::roster::SearchResults::export_all(&cfg).expect("SearchResults");
    chengguan_app::roster::RosterFilter::export_all(&cfg).expect("RosterFilter");
    chengguan_app::roster::RosterRow::export_all(&cfg).expect("RosterRow");
    chengguan_app::roster::PersonProfile::export_all(&cfg).expect("PersonProfile");
    chengguan_app::roster::CoverageView::export_all(&cfg).expect("CoverageView");
    chengguan_app::roster::HouseholdView::export_all(&cfg).expect("HouseholdView");
    chengguan_app::roster::export::ListKind::export_all(&cfg).expect("ListKind");
    chengguan_app::calendar::HolidayYear::export_all(&cfg).expect("HolidayYear");
    chengguan_app::calendar::HolidayImport::export_all(&cfg).expect("HolidayImport");
    chengguan_app::duty::AllianceView::export_all(&cfg).expect("AllianceView");
    chengguan_app::duty::GenerateReport::export_all(&cfg).expect("GenerateReport");
    chengguan_app::duty::ScheduleFilter::export_all(&cfg).expect("ScheduleFilter");
    chengguan_app::duty::TurnView::export_all(&cfg).expect("TurnView");
    chengguan_app::duty::export::DutyFormat::export_all(&cfg).expect("DutyFormat");
    chengguan_app::duty::review::NewActivity::export_all(&cfg).expect("NewActivity");
    chengguan_app::duty::review::ActivityView::export_all(&cfg).expect("ActivityView");
    chengguan_app::duty::review::DutyReview::export_all(&cfg).expect("DutyReview");
    chengguan_app::duty::shifts::ShiftNow::export_all(&cfg).expect("ShiftNow");
    chengguan_app::duty::shifts::ShiftReport::export_all(&cfg).expect("ShiftReport");
    chengguan_app::briefing::BriefingView::export_all(&cfg).expect("BriefingView");
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
    ConnectionEvent::export_all(&cfg).expect("ConnectionEvent");
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
    chengguan_app::api::Download::export_all(&cfg).expect("Download");
    chengguan_app::api::Upload::export_all(&cfg).expect("Upload");
    std::fs::write(
        dir.join("vocabulary.ts"),
        chengguan_app::vocabulary::typescript(),
    )
    .expect("vocabulary.ts");
    std::fs::write(dir.join("api.ts"), chengguan_app::api::typescript()).expect("api.ts");
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

/// Every UI source file outside `bindings/`, as (path, text).
fn ui_sources(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
    for entry in std::fs::read_dir(dir)
        .expect("ui/src")
        .filter_map(|e| e.ok())
    {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "bindings") {
                ui_sources(&path, out);
            }
        } else if path.extension().is_some_and(|x| x == "ts" || x == "vue") {
            out.push((path.clone(), std::fs::read_to_string(&path).expect("read")));
        }
    }
}

#[test]
fn the_ui_writes_no_label_of_the_vocabulary_by_hand() {
    let src: PathBuf = [env!("CARGO_MANIFEST_DIR"), "..", "..", "ui", "src"]
        .iter()
        .collect();
    let mut files = Vec::new();
    ui_sources(&src, &mut files);
    assert!(
        files.len() > 20,
        "read the UI sources under {}",
        src.display()
    );
    let generated = chengguan_app::vocabulary::typescript();
    // Labels as string literals (`"待受理"`, `'已办结'`) or as a template's text (`>待受理<`). Labels of one or two
    // characters (网格, 社区, 镇) are ordinary words of the UI and are not looked for, nor those of the change feed,
    // which the UI never shows (its words, such as 批量导入, are the UI's own buttons and headings).
    let shown = generated
        .split("\nexport const CHANGE_ENTITY = [")
        .next()
        .expect("the sets the UI shows");
    let labels: Vec<&str> = shown
        .lines()
        .filter_map(|l| l.split_once("label: \"").map(|(_, rest)| rest))
        .filter_map(|rest| rest.split_once('"').map(|(label, _)| label))
        .filter(|label| label.chars().count() >= 3)
        .collect();
    assert!(labels.contains(&"待受理") && labels.contains(&"包联干部"));
    let mut copies = Vec::new();
    for (path, text) in &files {
        for label in &labels {
            for quoted in [
                format!("\"{label}\""),
                format!("'{label}'"),
                format!(">{label}<"),
            ] {
                if text.contains(&quoted) {
                    copies.push(format!("{}: {quoted}", path.display()));
                }
            }
        }
    }
    assert!(
        copies.is_empty(),
        "the UI writes these labels by hand; import them from bindings/vocabulary.ts:\n{}",
        copies.join("\n")
    );
}
