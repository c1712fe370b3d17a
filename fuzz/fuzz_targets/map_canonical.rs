#![no_main]

use ledgerbridge_core::Platform;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ledgerbridge_fuzz::check_map(Platform::Canonical, data));
