// Linked into every executable of a sanitizer build (-DKIOSK_SANITIZE=address,...): LeakSanitizer
// takes its built-in suppressions from the executable, not from a shared library (libasan's own
// weak definition is found first there).
//
// PulseAudio, which Qt Multimedia loads to list devices, keeps a few allocations until exit by
// design; they are not ours to free.
extern "C" const char *__lsan_default_suppressions()
{
    return "leak:libpulse.so\n";
}
