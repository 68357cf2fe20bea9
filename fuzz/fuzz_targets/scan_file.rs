#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pathfinder_fuzz::scan_file(data));
