//! Printing for people: errors with their code, numbers in Chinese labels.

use chengguan_app::AppError;

/// Prints a line to standard output, ignoring a closed pipe (`chengguan grids list | head`).
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// At most this many problems or warnings are listed; the rest are counted.
pub const MAX_LISTED: usize = 30;

/// Prints an error as `错误 [code]：message`, with the problems of a refused file below it.
pub fn print_error(e: &anyhow::Error) {
    match e.downcast_ref::<AppError>() {
        Some(app) => {
            eprintln!("错误 [{}]：{app}", app.code());
            let problems = app.problems();
            for p in problems.iter().take(MAX_LISTED) {
                eprintln!("  · {p}");
            }
            if problems.len() > MAX_LISTED {
                eprintln!("  … 另有 {} 个问题", problems.len() - MAX_LISTED);
            }
        }
        None => eprintln!("错误 [cli.error]：{e:#}"),
    }
}

/// `12345.6` m² → `1.23 公顷` style is avoided: areas are shown in m² below 10,000 and in km² above.
pub fn area(m2: f64) -> String {
    if m2 >= 10_000.0 {
        format!("{:.3} km²", m2 / 1e6)
    } else {
        format!("{m2:.1} m²")
    }
}
