//! Charts drawn as text, so they read the same with or without colour: horizontal bars in
//! eighths of a cell, and sparklines of eight levels.

/// A bar of `value` against `max` in `width` cells: full blocks, then the eighth that is left.
pub fn bar(value: i64, max: i64, width: usize) -> String {
    if max <= 0 || value <= 0 || width == 0 {
        return String::new();
    }
    const PARTS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    let eighths = (value.min(max) as u128 * width as u128 * 8 / max as u128) as usize;
    // Anything above nothing shows at least a sliver.
    let eighths = eighths.max(1);
    let mut s = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        s.push(PARTS[eighths % 8]);
    }
    s
}

/// One character a value, from `▁` (nothing) to `█` (the largest); anything above nothing is
/// at least `▂`, so a gap stands out.
pub fn sparkline(values: &[i64]) -> String {
    const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = values.iter().copied().max().unwrap_or(0);
    values
        .iter()
        .map(|v| {
            if *v <= 0 || max <= 0 {
                LEVELS[0]
            } else {
                let level = (*v as u128 * 6 / max as u128) as usize + 1;
                LEVELS[level.min(7)]
            }
        })
        .collect()
}

/// A share as a whole percentage, or `-` when there is nothing to share.
pub fn percent(part: i64, whole: i64) -> String {
    if whole <= 0 {
        "-".to_string()
    } else {
        format!("{}%", (part as f64 * 100.0 / whole as f64).round() as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_fill_eighths_and_show_a_sliver_for_anything() {
        assert_eq!(bar(10, 10, 4), "████");
        assert_eq!(bar(5, 10, 4), "██");
        assert_eq!(bar(1, 16, 2), "▏");
        assert_eq!(bar(1, 1000, 4), "▏");
        assert_eq!(bar(0, 10, 4), "");
        assert_eq!(bar(20, 10, 4), "████", "never past its width");
        assert_eq!(bar(3, 0, 4), "");
    }

    #[test]
    fn sparklines_keep_nothing_at_the_floor() {
        assert_eq!(sparkline(&[0, 1, 3, 6]), "▁▃▅█");
        assert_eq!(sparkline(&[0, 0]), "▁▁");
        assert_eq!(sparkline(&[]), "");
    }

    #[test]
    fn percentages_round_and_say_so_when_undefined() {
        assert_eq!(percent(2, 3), "67%");
        assert_eq!(percent(0, 0), "-");
    }
}
