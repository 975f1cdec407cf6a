use std::process::Command;

use chengguan_report::charts::{svg, Bar, BarChart, Chart, Theme};
use chengguan_report::typeset::{pdf, Document};
use chrono::{FixedOffset, TimeZone};

use crate::font;

/// The text poppler reads from a PDF.
fn pdftotext(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-layout", path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils, installed by scripts/install-deps.sh)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn now() -> chrono::DateTime<FixedOffset> {
    FixedOffset::east_opt(8 * 3600)
        .unwrap()
        .with_ymd_and_hms(2026, 12, 7, 9, 30, 0)
        .unwrap()
}

#[test]
fn a_template_with_data_and_a_chart_becomes_a_pdf_poppler_reads_in_chinese() {
    let font = font();
    let chart = svg(
        &Chart::Bars(BarChart {
            title: "网格排名".into(),
            bars: vec![Bar {
                label: "第一网格".into(),
                value: 7.0,
                text: "7 件".into(),
            }],
        }),
        (480, 200),
        &Theme::PAPER,
        &font,
    )
    .unwrap();
    let template = r#"
#set page(paper: "a4")
#set text(font: "Noto Sans CJK SC", lang: "zh", region: "cn")
#let data = json("/data.json")
= #data.title
办结率为 #data.rate，生成于 #datetime.today().display()。
#image("/charts/grids.svg", width: 80%)
"#;
    let doc = Document {
        template,
        files: vec![
            (
                "/data.json".into(),
                r#"{"title": "城关镇工作简报", "rate": "87.5%"}"#.as_bytes().to_vec(),
            ),
            ("/charts/grids.svg".into(), chart.into_bytes()),
        ],
        now: now(),
    };
    let bytes = pdf(doc, &font).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let text = pdftotext(&bytes);
    for expected in [
        "城关镇工作简报",
        "办结率为 87.5%",
        "2026-12-07",
        "网格排名",
        "第一网格",
        "7 件",
    ] {
        assert!(text.contains(expected), "「{expected}」 not in:\n{text}");
    }
}

#[test]
fn a_template_error_is_reported_not_a_panic() {
    let doc = Document {
        template: "#let x = json(\"/missing.json\")\n#x.title",
        files: vec![],
        now: now(),
    };
    let e = pdf(doc, &font()).unwrap_err().to_string();
    assert!(e.contains("简报排版失败"), "{e}");
}
