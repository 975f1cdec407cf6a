use chengguan_report::charts::{
    png, svg, Bar, BarChart, Chart, LineChart, MapChart, MapLabel, Series, Shape, Theme,
};
use chengguan_report::{CjkFont, ReportError};

use crate::font;

/// Decodes a PNG into (width, height, RGBA pixels).
fn decode(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    assert_eq!(info.color_type, png::ColorType::Rgba);
    (info.width, info.height, buf)
}

/// The ink of a picture as a bitmap: which pixels differ from the background.
fn ink(bytes: &[u8]) -> Vec<bool> {
    let (_, _, px) = decode(bytes);
    px.chunks(4).map(|p| p[0] < 128).collect()
}

fn word(text: &str) -> Vec<u8> {
    let chart = Chart::Bars(BarChart {
        title: text.into(),
        bars: vec![],
    });
    let font = font();
    png(
        &svg(&chart, (240, 80), &Theme::PAPER, &font).unwrap(),
        &font,
        1.0,
    )
    .unwrap()
}

#[test]
fn chinese_labels_render_as_their_own_glyphs_not_as_boxes() {
    // A font without these characters draws each as the same .notdef box (豆腐块), or nothing at all: then the
    // four words below would be identical pictures, or blank. Each must have ink, and each its own.
    let words = ["诉求", "网格", "办结", "联盟"];
    let pictures: Vec<Vec<bool>> = words.iter().map(|w| ink(&word(w))).collect();
    for (w, p) in words.iter().zip(&pictures) {
        let dark = p.iter().filter(|d| **d).count();
        assert!(dark > 60, "「{w}」 has almost no ink ({dark} px)");
    }
    for i in 0..words.len() {
        for j in i + 1..words.len() {
            let differ = pictures[i]
                .iter()
                .zip(&pictures[j])
                .filter(|(a, b)| a != b)
                .count();
            assert!(
                differ > 40,
                "「{}」 and 「{}」 render alike: boxes?",
                words[i],
                words[j]
            );
        }
    }
    // Characters the font lacks (private use) render as the box: a real glyph must not look like it.
    let boxes = ink(&word("\u{E000}\u{E001}"));
    for (w, p) in words.iter().zip(&pictures) {
        let differ = boxes.iter().zip(p).filter(|(a, b)| a != b).count();
        assert!(differ > 40, "「{w}」 renders like the missing-glyph box");
    }
}

#[test]
fn every_kind_of_chart_renders_its_chinese_text_in_svg_and_png() {
    let font = font();
    let charts = [
        Chart::Bars(BarChart {
            title: "诉求类别".into(),
            bars: vec![
                Bar {
                    label: "环境卫生".into(),
                    value: 12.0,
                    text: "12 件".into(),
                },
                Bar {
                    label: "市政设施".into(),
                    value: 3.0,
                    text: "3 件".into(),
                },
            ],
        }),
        Chart::Lines(LineChart {
            title: "类别趋势".into(),
            x_labels: vec!["11-02".into(), "11-09".into(), "11-16".into()],
            y_unit: "件".into(),
            series: vec![Series {
                name: "环境卫生".into(),
                values: vec![1.0, 4.0, 2.0],
            }],
        }),
        Chart::Map(MapChart {
            title: "热点分布".into(),
            shapes: vec![Shape {
                ring: vec![[0.0, 0.0], [100.0, 0.0], [100.0, 80.0], [0.0, 80.0]],
                fill: [250, 200, 200],
                stroke: [120, 120, 120],
                stroke_width: 1,
            }],
            labels: vec![MapLabel {
                at: [50.0, 40.0],
                text: "城北社区".into(),
                size: 16.0,
            }],
            legend: vec![([200, 32, 38], "热点（99%）".into())],
        }),
    ];
    for chart in &charts {
        let s = svg(chart, (640, 360), &Theme::SCREEN, &font).unwrap();
        assert!(s.contains(chart.title()), "{s}");
        assert!(s.contains(&format!("font-family=\"{}\"", font.family)));
        let (w, h, _) = decode(&png(&s, &font, 2.0).unwrap());
        assert_eq!((w, h), (1280, 720));
    }
}

#[test]
fn a_missing_font_is_a_clear_error_naming_where_it_looked() {
    let dir = tempfile::tempdir().unwrap();
    let nowhere = vec![dir.path().join("NotoSansCJK-Regular.ttc")];
    let e = CjkFont::locate(&nowhere).unwrap_err();
    assert!(matches!(e, ReportError::FontMissing { .. }));
    let msg = e.to_string();
    assert!(
        msg.contains("找不到中文字体") && msg.contains("fonts-noto-cjk"),
        "{msg}"
    );
    assert!(msg.contains(&nowhere[0].display().to_string()), "{msg}");

    // A file that is not a font, and a font without Chinese, are refused in words too.
    let junk = dir.path().join("junk.ttf");
    std::fs::write(&junk, b"\0\x01\0\0 not a font").unwrap();
    let msg = CjkFont::locate(&[junk]).unwrap_err().to_string();
    assert!(msg.contains("无法使用"), "{msg}");
    let latin = std::path::Path::new("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
    if latin.is_file() {
        let msg = CjkFont::read(latin).unwrap_err().to_string();
        assert!(msg.contains("没有汉字"), "{msg}");
    }
}

#[test]
fn the_system_font_is_the_simplified_chinese_face() {
    let font = font();
    assert!(font.family.contains("CJK SC") || std::env::var_os("CHENGGUAN_CJK_FONT").is_some());
}
