/* A stand-in for GridCert's executables (and for schtasks.exe) in the Wine installer test
 * (tests/integration/test_installer_wine.py). Built with mingw-w64:
 *   console: x86_64-w64-mingw32-gcc -municode -O1 -o gridcert.com standin.c
 *   windowed: the same with -mwindows -DWINDOWED -o GridCert.exe
 *
 * - GRIDCERT_STANDIN_LOG (a Windows path): appends one line, fields separated by TAB:
 *   program file name, "hidden" when started with STARTF_USESHOWWINDOW + SW_HIDE else
 *   "shown", then every argument (CommandLineToArgvW), UTF-8.
 * - GRIDCERT_STANDIN_EXIT: the exit code (default 0).
 * - GRIDCERT_STANDIN_HOLD=FILE: opens FILE with no sharing (as a running program holds its
 *   DLLs), creates the file GRIDCERT_STANDIN_HELD names, and waits until the file
 *   GRIDCERT_STANDIN_RELEASE names exists (at most 120 s).
 * - GRIDCERT_STANDIN_RUN=COMMAND LINE: records nothing; runs that exact command line (as
 *   Intune or SCCM would: no re-quoting by a shell) and exits with its exit code, which it
 *   also writes in decimal to the file GRIDCERT_STANDIN_RUN_CODE names (a Unix exit
 *   status keeps only 8 bits: 740 would arrive as 228).
 */
#include <windows.h>
#include <shellapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

static void append_utf8(HANDLE out, const wchar_t *text) {
    char buffer[8192];
    int n = WideCharToMultiByte(CP_UTF8, 0, text, -1, buffer, sizeof buffer, NULL, NULL);
    DWORD written;
    if (n > 1) WriteFile(out, buffer, (DWORD)(n - 1), &written, NULL);
}

static void record(void) {
    wchar_t path[MAX_PATH];
    if (!GetEnvironmentVariableW(L"GRIDCERT_STANDIN_LOG", path, MAX_PATH)) return;
    HANDLE out = INVALID_HANDLE_VALUE;
    for (int i = 0; i < 100 && out == INVALID_HANDLE_VALUE; i++) {
        out = CreateFileW(path, FILE_APPEND_DATA, 0, NULL, OPEN_ALWAYS, 0, NULL);
        if (out == INVALID_HANDLE_VALUE) Sleep(50);
    }
    if (out == INVALID_HANDLE_VALUE) return;
    wchar_t self[MAX_PATH];
    GetModuleFileNameW(NULL, self, MAX_PATH);
    const wchar_t *name = wcsrchr(self, L'\\');
    append_utf8(out, name ? name + 1 : self);
    STARTUPINFOW startup;
    GetStartupInfoW(&startup);
    int hidden = (startup.dwFlags & STARTF_USESHOWWINDOW) && startup.wShowWindow == SW_HIDE;
    append_utf8(out, hidden ? L"\thidden" : L"\tshown");
    int argc;
    wchar_t **argv = CommandLineToArgvW(GetCommandLineW(), &argc);
    for (int i = 1; argv && i < argc; i++) {
        append_utf8(out, L"\t");
        append_utf8(out, argv[i]);
    }
    append_utf8(out, L"\r\n");
    CloseHandle(out);
}

static void hold(void) {
    wchar_t path[MAX_PATH], marker[MAX_PATH];
    if (!GetEnvironmentVariableW(L"GRIDCERT_STANDIN_HOLD", path, MAX_PATH)) return;
    HANDLE held = CreateFileW(path, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    if (held == INVALID_HANDLE_VALUE) ExitProcess(90);
    if (GetEnvironmentVariableW(L"GRIDCERT_STANDIN_HELD", marker, MAX_PATH))
        CloseHandle(CreateFileW(marker, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL));
    if (!GetEnvironmentVariableW(L"GRIDCERT_STANDIN_RELEASE", marker, MAX_PATH)) ExitProcess(91);
    for (int i = 0; i < 1200; i++) {
        if (GetFileAttributesW(marker) != INVALID_FILE_ATTRIBUTES) break;
        Sleep(100);
    }
    CloseHandle(held);
}

static int launch(void) {
    static wchar_t command[32768];
    if (!GetEnvironmentVariableW(L"GRIDCERT_STANDIN_RUN", command, 32768)) return -1;
    SetEnvironmentVariableW(L"GRIDCERT_STANDIN_RUN", NULL);  /* not for its children */
    STARTUPINFOW startup = {sizeof startup};
    PROCESS_INFORMATION process;
    if (!CreateProcessW(NULL, command, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &process))
        return 92;
    WaitForSingleObject(process.hProcess, INFINITE);
    DWORD code = 93;
    GetExitCodeProcess(process.hProcess, &code);
    wchar_t path[MAX_PATH];
    if (GetEnvironmentVariableW(L"GRIDCERT_STANDIN_RUN_CODE", path, MAX_PATH)) {
        HANDLE out = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
        wchar_t text[16];
        swprintf(text, 16, L"%lu", (unsigned long)code);
        append_utf8(out, text);
        CloseHandle(out);
    }
    return (int)code;
}

static int run(void) {
    int launched = launch();
    if (launched >= 0) return launched;
    record();
    hold();
    wchar_t code[32];
    if (GetEnvironmentVariableW(L"GRIDCERT_STANDIN_EXIT", code, 32)) return _wtoi(code);
    return 0;
}

#ifdef WINDOWED
int WINAPI wWinMain(HINSTANCE a, HINSTANCE b, PWSTR c, int d) {
    (void)a; (void)b; (void)c; (void)d;
    return run();
}
#else
int wmain(void) { return run(); }
#endif
