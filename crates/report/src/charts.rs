//! Charts drawn with `plotters` as SVG, and rasterised to PNG with `resvg`.
//!
//! The SVG is the chart: the desktop shows it, the PDF embeds it (Typst renders its text with the same font), and
//! the PNG of an export is that SVG rasterised, so the three never differ. Text is written as SVG `<text>` in the
//! font's family ([`CjkFont::family`]); plotters measures it with the same font for layout.
//!
//! Sizes are in CSS pixels (1/96 inch); a chart for the PDF is drawn at the size it is printed at.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use resvg::usvg;

use crate::{CjkFont, ReportError};

/// An sRGB colour.
pub type Rgb = [u8; 3];

/// Colours of a chart: paper for the PDF and exports, dark for the briefing-room screen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Theme {
    /// Background.
    pub background: Rgb,
    /// Titles, labels and values.
    pub text: Rgb,
    /// Axis labels and notes.
    pub muted: Rgb,
    /// Axes and grid lines.
    pub rule: Rgb,
    /// Series and bars, in order.
    pub palette: [Rgb; 6],
}

impl Theme {
    /// Black on white, the command center's red first.
    pub const PAPER: Theme = Theme {
        background: [255, 255, 255],
        text: [33, 33, 33],
        muted: [110, 110, 110],
        rule: [215, 215, 215],
        palette: [
            [200, 32, 38],
            [33, 102, 172],
            [230, 145, 30],
            [62, 150, 81],
            [120, 80, 160],
            [120, 120, 120],
        ],
    };
    /// Light on the briefing screen's dark blue, read from five metres.
    pub const SCREEN: Theme = Theme {
        background: [13, 27, 48],
        text: [236, 241, 248],
        muted: [160, 177, 199],
        rule: [52, 72, 102],
        palette: [
            [255, 99, 88],
            [86, 170, 255],
            [255, 196, 77],
            [105, 214, 140],
            [190, 150, 255],
            [180, 190, 200],
        ],
    };
}

/// Horizontal bars, one per row, largest first as given.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    /// The title, above the bars.
    pub title: String,
    /// Rows: the label on the left, the bar, and the value written after it.
    pub bars: Vec<Bar>,
}

/// One bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// The row's label (a category, a grid, an alliance).
    pub label: String,
    /// Its length, 0 or more.
    pub value: f64,
    /// What is written after the bar (the value with its unit).
    pub text: String,
}

/// Lines over shared x labels (weeks or months).
#[derive(Debug, Clone, PartialEq)]
pub struct LineChart {
    /// The title.
    pub title: String,
    /// One label per point along x.
    pub x_labels: Vec<String>,
    /// The unit of y (`件`).
    pub y_unit: String,
    /// The lines, each with one value per x label.
    pub series: Vec<Series>,
}

/// One line.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Its name in the legend.
    pub name: String,
    /// One value per x label.
    pub values: Vec<f64>,
}

/// Shapes in a plane (metres east and north), drawn to fit, with labels and a legend.
#[derive(Debug, Clone, PartialEq)]
pub struct MapChart {
    /// The title.
    pub title: String,
    /// Filled shapes, drawn in order.
    pub shapes: Vec<Shape>,
    /// Text centred at a point.
    pub labels: Vec<MapLabel>,
    /// Legend entries: a swatch and its meaning.
    pub legend: Vec<(Rgb, String)>,
}

/// A filled polygon (its outer ring; x east, y north, metres).
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// The outer ring's vertices.
    pub ring: Vec<[f64; 2]>,
    /// Fill.
    pub fill: Rgb,
    /// Outline.
    pub stroke: Rgb,
    /// Outline width in pixels.
    pub stroke_width: u32,
}

/// A label on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct MapLabel {
    /// Where (x east, y north, metres).
    pub at: [f64; 2],
    /// What.
    pub text: String,
    /// Size in pixels.
    pub size: f64,
}

/// Any chart.
#[derive(Debug, Clone, PartialEq)]
pub enum Chart {
    /// Horizontal bars.
    Bars(BarChart),
    /// Lines.
    Lines(LineChart),
    /// A map.
    Map(MapChart),
}

impl Chart {
    /// The chart's title.
    pub fn title(&self) -> &str {
        match self {
            Chart::Bars(c) => &c.title,
            Chart::Lines(c) => &c.title,
            Chart::Map(c) => &c.title,
        }
    }
}

fn rgb(c: Rgb) -> RGBColor {
    RGBColor(c[0], c[1], c[2])
}

/// Draws `chart` as an SVG document of `width` × `height` pixels.
pub fn svg(
    chart: &Chart,
    (width, height): (u32, u32),
    theme: &Theme,
    font: &CjkFont,
) -> Result<String, ReportError> {
    let fail = |e: String| ReportError::Chart {
        chart: chart.title().to_string(),
        reason: e,
    };
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
        let pen = Pen {
            theme,
            family: &font.family,
        };
        match chart {
            Chart::Bars(c) => pen.bars(&root, c),
            Chart::Lines(c) => pen.lines(&root, c),
            Chart::Map(c) => pen.map(&root, c),
        }
        .map_err(fail)?;
        root.present().map_err(|e| fail(e.to_string()))?;
    }
    Ok(out)
}

/// Rasterises an SVG (one of [`svg`]'s) to PNG at `scale` × its size, with the chart font.
pub fn png(svg: &str, font: &CjkFont, scale: f32) -> Result<Vec<u8>, ReportError> {
    let fail = |reason: String| ReportError::Chart {
        chart: "PNG".into(),
        reason,
    };
    let mut options = usvg::Options::default();
    options
        .fontdb_mut()
        .load_font_source(usvg::fontdb::Source::Binary(std::sync::Arc::new(
            font.regular,
        )));
    options.font_family = font.family.clone();
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| fail(e.to_string()))?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or_else(|| fail("尺寸无效".into()))?;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| fail("尺寸无效".into()))?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| fail(e.to_string()))
}

/// Draws with one theme and font.
struct Pen<'a> {
    theme: &'a Theme,
    family: &'a str,
}

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

impl Pen<'_> {
    fn style(&self, size: f64, colour: Rgb) -> TextStyle<'_> {
        TextStyle {
            font: (FontFamily::Name(self.family), size).into_font(),
            color: rgb(colour).to_backend_color(),
            pos: Pos::default(),
        }
    }

    /// The background and the title; returns the area below the title.
    fn frame<'b>(&self, root: &Area<'b>, title: &str) -> Result<Area<'b>, String> {
        root.fill(&rgb(self.theme.background))
            .map_err(|e| e.to_string())?;
        let (w, h) = root.dim_in_pixel();
        let size = (f64::from(h) * 0.07).clamp(14.0, 30.0);
        let top = (size * 1.8) as u32;
        root.draw(&Text::new(
            title.to_string(),
            ((w / 2) as i32, (size * 0.5) as i32),
            self.style(size, self.theme.text)
                .pos(Pos::new(HPos::Center, VPos::Top)),
        ))
        .map_err(|e| e.to_string())?;
        Ok(root.split_vertically(top).1)
    }

    fn bars(&self, root: &Area, chart: &BarChart) -> Result<(), String> {
        let area = self.frame(root, &chart.title)?;
        let (w, h) = area.dim_in_pixel();
        if chart.bars.is_empty() {
            return self.nothing(&area);
        }
        let n = chart.bars.len() as f64;
        let row = (f64::from(h) / n).min(f64::from(h) * 0.3);
        let size = (row * 0.55).clamp(10.0, 26.0);
        let widest = |t: &str| {
            t.chars()
                .map(|c| if c.is_ascii() { 0.58 } else { 1.0 })
                .sum::<f64>()
        };
        let label_w = chart
            .bars
            .iter()
            .map(|b| widest(&b.label))
            .fold(0.0, f64::max)
            * size
            + size;
        let text_w = chart
            .bars
            .iter()
            .map(|b| widest(&b.text))
            .fold(0.0, f64::max)
            * size
            + size;
        let room = (f64::from(w) - label_w - text_w).max(10.0);
        let max = chart.bars.iter().map(|b| b.value).fold(0.0, f64::max);
        for (i, bar) in chart.bars.iter().enumerate() {
            let y = (row * i as f64) as i32;
            let mid = (row * (i as f64 + 0.5)) as i32;
            area.draw(&Text::new(
                bar.label.clone(),
                ((label_w - size * 0.5) as i32, mid),
                self.style(size, self.theme.text)
                    .pos(Pos::new(HPos::Right, VPos::Center)),
            ))
            .map_err(|e| e.to_string())?;
            let len = if max > 0.0 {
                room * bar.value.max(0.0) / max
            } else {
                0.0
            };
            let pad = (row * 0.18) as i32;
            let colour = self.theme.palette[0];
            // A zero bar is no rectangle (an SVG rect of width 0 is invalid).
            if len >= 1.0 {
                area.draw(&Rectangle::new(
                    [
                        (label_w as i32, y + pad),
                        ((label_w + len) as i32, y + row as i32 - pad),
                    ],
                    rgb(colour).filled(),
                ))
                .map_err(|e| e.to_string())?;
            }
            area.draw(&Text::new(
                bar.text.clone(),
                ((label_w + len + size * 0.4) as i32, mid),
                self.style(size, self.theme.muted)
                    .pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    fn nothing(&self, area: &Area) -> Result<(), String> {
        let (w, h) = area.dim_in_pixel();
        area.draw(&Text::new(
            "本期无数据".to_string(),
            ((w / 2) as i32, (h / 2) as i32),
            self.style(18.0, self.theme.muted)
                .pos(Pos::new(HPos::Center, VPos::Center)),
        ))
        .map_err(|e| e.to_string())
    }

    fn lines(&self, root: &Area, chart: &LineChart) -> Result<(), String> {
        let area = self.frame(root, &chart.title)?;
        let n = chart.x_labels.len();
        if n == 0 || chart.series.is_empty() {
            return self.nothing(&area);
        }
        let (_, h) = area.dim_in_pixel();
        let size = (f64::from(h) * 0.05).clamp(10.0, 22.0);
        let max = chart
            .series
            .iter()
            .flat_map(|s| s.values.iter().copied())
            .fold(0.0, f64::max)
            .max(1.0);
        let labels = &chart.x_labels;
        let mut ctx = ChartBuilder::on(&area)
            .margin(size as u32)
            .x_label_area_size((size * 2.0) as u32)
            .y_label_area_size((size * 3.2) as u32)
            .build_cartesian_2d(0f64..(n.max(2) - 1) as f64, 0f64..max * 1.15)
            .map_err(|e| e.to_string())?;
        let every = n.div_ceil(8).max(1);
        ctx.configure_mesh()
            .disable_x_mesh()
            .light_line_style(rgb(self.theme.rule).mix(0.0))
            .bold_line_style(rgb(self.theme.rule))
            .axis_style(rgb(self.theme.muted))
            .x_labels(n.min(60))
            .x_label_formatter(&|x: &f64| {
                let i = x.round() as usize;
                if (x - x.round()).abs() < 1e-6 && i % every == 0 {
                    labels.get(i).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .y_desc(chart.y_unit.clone())
            .y_label_formatter(&|y: &f64| format!("{y:.0}"))
            .label_style(self.style(size * 0.85, self.theme.muted))
            .axis_desc_style(self.style(size * 0.85, self.theme.muted))
            .draw()
            .map_err(|e| e.to_string())?;
        for (i, s) in chart.series.iter().enumerate() {
            let colour = rgb(self.theme.palette[i % self.theme.palette.len()]);
            ctx.draw_series(LineSeries::new(
                s.values.iter().enumerate().map(|(x, v)| (x as f64, *v)),
                colour.stroke_width(3),
            ))
            .map_err(|e| e.to_string())?
            .label(s.name.clone())
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 18, y + 5)], colour.filled()));
        }
        ctx.configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(rgb(self.theme.background).mix(0.85))
            .border_style(rgb(self.theme.rule))
            .label_font(self.style(size * 0.85, self.theme.text))
            .draw()
            .map_err(|e| e.to_string())?;
        Ok(())
    }

    fn map(&self, root: &Area, chart: &MapChart) -> Result<(), String> {
        let area = self.frame(root, &chart.title)?;
        let (w, h) = area.dim_in_pixel();
        let points = chart.shapes.iter().flat_map(|s| s.ring.iter());
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for p in points {
            x0 = x0.min(p[0]);
            y0 = y0.min(p[1]);
            x1 = x1.max(p[0]);
            y1 = y1.max(p[1]);
        }
        if x0 >= x1 || y0 >= y1 {
            return self.nothing(&area);
        }
        // The legend takes a column on the right, so that it never covers a shape.
        let legend_w = if chart.legend.is_empty() {
            0.0
        } else {
            f64::from(w) * 0.22
        };
        let pad = 10.0;
        let scale = ((f64::from(w) - legend_w - 2.0 * pad) / (x1 - x0))
            .min((f64::from(h) - 2.0 * pad) / (y1 - y0));
        let ox = pad + ((f64::from(w) - legend_w - 2.0 * pad) - (x1 - x0) * scale) / 2.0;
        let oy = pad + ((f64::from(h) - 2.0 * pad) - (y1 - y0) * scale) / 2.0;
        let to_px = |p: &[f64; 2]| {
            (
                (ox + (p[0] - x0) * scale) as i32,
                (oy + (y1 - p[1]) * scale) as i32,
            )
        };
        for s in &chart.shapes {
            let ring: Vec<(i32, i32)> = s.ring.iter().map(to_px).collect();
            area.draw(&Polygon::new(ring.clone(), rgb(s.fill).filled()))
                .map_err(|e| e.to_string())?;
            let mut closed = ring;
            if let Some(first) = closed.first().copied() {
                closed.push(first);
            }
            area.draw(&PathElement::new(
                closed,
                rgb(s.stroke).stroke_width(s.stroke_width),
            ))
            .map_err(|e| e.to_string())?;
        }
        for l in &chart.labels {
            area.draw(&Text::new(
                l.text.clone(),
                to_px(&l.at),
                self.style(l.size, self.theme.text)
                    .pos(Pos::new(HPos::Center, VPos::Center)),
            ))
            .map_err(|e| e.to_string())?;
        }
        let size = 14.0;
        let lx = (f64::from(w) - legend_w + pad) as i32;
        for (i, (colour, text)) in chart.legend.iter().enumerate() {
            let y = (pad + i as f64 * size * 1.8) as i32;
            area.draw(&Rectangle::new(
                [(lx, y), (lx + size as i32, y + size as i32)],
                rgb(*colour).filled(),
            ))
            .map_err(|e| e.to_string())?;
            area.draw(&Text::new(
                text.clone(),
                (lx + (size * 1.5) as i32, y + (size / 2.0) as i32),
                self.style(size, self.theme.text)
                    .pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}
