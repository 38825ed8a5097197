//! CPU time of a process from `/proc/PID/stat` (user + system), and the machine's description.

use std::time::{Duration, Instant};

/// utime + stime in clock ticks, from the text of `/proc/PID/stat`. The command name (field 2)
/// may hold spaces and parentheses, so fields are counted from the last `)`.
pub fn parse_stat_ticks(stat: &str) -> Option<u64> {
    let after_name = &stat[stat.rfind(')')? + 1..];
    let mut fields = after_name.split_whitespace();
    // After the name: state(3) ppid(4) ... utime is field 14, stime field 15.
    let utime: u64 = fields.nth(11)?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    utime.checked_add(stime)
}

fn ticks_per_second() -> u64 {
    // SAFETY: sysconf only reads a configuration value.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    u64::try_from(ticks).ok().filter(|&t| t > 0).unwrap_or(100)
}

/// CPU time used so far by process `pid` (`None` for this process).
pub fn process_cpu(pid: Option<u32>) -> Option<Duration> {
    let path = match pid {
        Some(pid) => format!("/proc/{pid}/stat"),
        None => "/proc/self/stat".to_string(),
    };
    let ticks = parse_stat_ticks(&std::fs::read_to_string(path).ok()?)?;
    Some(Duration::from_secs_f64(
        ticks as f64 / ticks_per_second() as f64,
    ))
}

/// Measures the CPU a process uses over a stretch of wall time.
#[derive(Debug, Clone, Copy)]
pub struct CpuMeter {
    pid: Option<u32>,
    cpu_at_start: Option<Duration>,
    wall_start: Instant,
}

impl CpuMeter {
    pub fn start(pid: Option<u32>) -> Self {
        Self {
            pid,
            cpu_at_start: process_cpu(pid),
            wall_start: Instant::now(),
        }
    }

    /// CPU seconds used since the start, and that as a percentage of one core over the wall time.
    pub fn read(&self) -> (f64, f64) {
        let wall = self.wall_start.elapsed().as_secs_f64();
        let used = match (self.cpu_at_start, process_cpu(self.pid)) {
            (Some(a), Some(b)) => b.saturating_sub(a).as_secs_f64(),
            _ => 0.0,
        };
        let percent = if wall > 0.0 { 100.0 * used / wall } else { 0.0 };
        (used, percent)
    }
}

/// Cores, memory and CPU model, as BENCHMARKS.md records them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Machine {
    pub cores: usize,
    pub memory_mib: u64,
    pub cpu_model: String,
}

impl Machine {
    pub fn here() -> Self {
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        Self {
            cores: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1),
            memory_mib: mem_total_kib(&meminfo).unwrap_or(0) / 1024,
            cpu_model: cpu_model(&cpuinfo).unwrap_or_else(|| "unknown".into()),
        }
    }

    pub fn line(&self) -> String {
        format!(
            "machine: {} cores, {} MiB, {}",
            self.cores, self.memory_mib, self.cpu_model
        )
    }
}

fn mem_total_kib(meminfo: &str) -> Option<u64> {
    let line = meminfo.lines().find(|l| l.starts_with("MemTotal:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn cpu_model(cpuinfo: &str) -> Option<String> {
    let line = cpuinfo.lines().find(|l| l.starts_with("model name"))?;
    Some(line.split_once(':')?.1.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_ticks_survive_odd_command_names() {
        let stat = "4242 (regi (x) y) S 1 4242 4242 0 -1 4194560 500 0 0 0 117 23 0 0 20 0 3 0 \
                    100 1000 200 18446744073709551615";
        assert_eq!(parse_stat_ticks(stat), Some(140));
        assert_eq!(parse_stat_ticks("garbage"), None);
        assert_eq!(parse_stat_ticks("1 (x) S 1 2"), None);
        assert_eq!(parse_stat_ticks(""), None);
    }

    #[test]
    fn cpu_time_of_this_process_is_readable() {
        assert!(process_cpu(None).is_some(), "/proc/self/stat is readable");
        assert!(process_cpu(Some(std::process::id())).is_some());
    }

    #[test]
    fn machine_fields_are_read_from_proc_text() {
        assert_eq!(
            mem_total_kib("MemFree: 1 kB\nMemTotal:  24681234 kB\n"),
            Some(24_681_234)
        );
        assert_eq!(
            cpu_model("processor : 0\nmodel name\t: Some CPU @ 2.0GHz\n").as_deref(),
            Some("Some CPU @ 2.0GHz")
        );
        assert_eq!(mem_total_kib(""), None);
    }
}
