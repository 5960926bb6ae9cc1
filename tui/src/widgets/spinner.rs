//! A small spinner, advanced by ticks that run only while something loads.

const FRAMES: &[&str] = &["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// The frame for a tick count.
pub fn frame(tick: u64) -> &'static str {
    FRAMES[(tick % FRAMES.len() as u64) as usize]
}
