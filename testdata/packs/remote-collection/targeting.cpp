// Remote-collection samples in C++: behaviour gated on who or where the host is — country
// avoidance by keyboard layout or UI language, a target list of machine names or domains,
// sandbox checks on the user name — and the ordinary uses of the same values (formatting
// dates, logging, comparing with a configured value).
#include <windows.h>
#include <winsock2.h>
#include <clocale>
#include <cstring>
#include <cwchar>
#include <string>
#include <set>

// ---- locale ----------------------------------------------------------------------------

bool InCisCountry()
{
    HKL layouts[32];
    int n = GetKeyboardLayoutList(32, layouts);
    for (int i = 0; i < n; ++i) {
        WORD lang = LOWORD((DWORD_PTR)layouts[i]) & 0x3FF;
        if (lang == LANG_RUSSIAN || lang == LANG_UKRAINIAN || lang == LANG_BELARUSIAN) // want "remote-collection/host-gated"
            return true;
    }
    return false;
}

class Payload {
public:
    void Run();
private:
    bool ShouldRun() const;
};

bool Payload::ShouldRun() const
{
    LANGID ui = GetUserDefaultUILanguage();
    switch (PRIMARYLANGID(ui)) {
    case LANG_RUSSIAN: // want "remote-collection/host-gated"
    case LANG_KAZAK:
    case LANG_ARMENIAN:
        return false;
    default:
        return true;
    }
}

void Payload::Run()
{
    if (!ShouldRun() || InCisCountry())
        ExitProcess(0);
}

bool CountryIs(const wchar_t *iso)
{
    wchar_t country[8];
    GetLocaleInfoW(LOCALE_USER_DEFAULT, LOCALE_SISO3166CTRYNAME, country, 8);
    return wcscmp(country, L"RU") == 0 || wcscmp(country, iso) == 0; // want "remote-collection/host-gated"
}

bool CLocaleIsRussian()
{
    const char *loc = setlocale(LC_ALL, "");
    std::string l = loc ? loc : "";
    return l.find("ru_RU") == 0; // want "remote-collection/host-gated"
}

// ---- host identity ---------------------------------------------------------------------

bool IsTargetHost()
{
    char name[MAX_COMPUTERNAME_LENGTH + 1];
    DWORD n = sizeof name;
    GetComputerNameA(name, &n);
    if (_stricmp(name, "FIN-SRV-01") == 0 || _stricmp(name, "FIN-SRV-02") == 0) // want "remote-collection/host-gated"
        return true;
    return false;
}

bool InTargetDomain()
{
    wchar_t domain[256];
    DWORD n = 256;
    GetComputerNameExW(ComputerNameDnsDomain, domain, &n);
    return wcsstr(domain, L"corp.victim-bank.example") != NULL; // want "remote-collection/host-gated"
}

class SandboxCheck {
public:
    bool LooksLikeSandbox();
private:
    std::string m_user;
};

bool SandboxCheck::LooksLikeSandbox()
{
    char user[256];
    DWORD n = sizeof user;
    GetUserNameA(user, &n);
    m_user = user;
    return m_user == "sandbox" || m_user == "malware" || m_user == "CurrentUser"; // want "remote-collection/host-gated"
}

bool BuildHostOnly()
{
    char host[256];
    gethostname(host, sizeof host);
    std::string h(host);
    return h == "ci-builder-07"; // want "remote-collection/host-gated"
}

bool TargetFromSet()
{
    static const std::set<std::string> targets = { "FIN-SRV-01", "FIN-SRV-02" };
    char name[64];
    DWORD n = sizeof name;
    GetComputerNameA(name, &n);
    return targets.count(name) != 0; // todo "remote-collection/host-gated" membership in a std::set of constants (count/find) is not a comparison
}

// ---- must not match ------------------------------------------------------------------------

void FormatDate(wchar_t *out, int cch)
{
    LCID lcid = GetUserDefaultLCID();
    GetDateFormatW(lcid, DATE_SHORTDATE, NULL, NULL, out, cch); // ok: the locale only formats a date
}

void LogHost(FILE *log)
{
    char host[256];
    gethostname(host, sizeof host);
    fprintf(log, "scan started on %s\n", host); // ok: logged, not compared
}

bool IsConfiguredServer(const char *configured)
{
    char name[64];
    DWORD n = sizeof name;
    GetComputerNameA(name, &n);
    return _stricmp(name, configured) == 0; // ok: compared with a configured value, not a constant
}

bool NameFits(char *name)
{
    DWORD n = 64;
    if (!GetComputerNameA(name, &n)) // ok: a failed call is not a comparison of the name
        return false;
    return strlen(name) > 0; // ok: only its length
}

// The UI picks its string table from the user's language: a comparison with constants, but
// one every localised product makes.
int PickStringTable()
{
    LANGID lang = GetUserDefaultUILanguage();
    if (PRIMARYLANGID(lang) == LANG_GERMAN) // todo-ok "remote-collection/host-gated" UI localisation compares the language with constants too; nothing distinguishes it from targeting
        return 101;
    if (PRIMARYLANGID(lang) == LANG_FRENCH)
        return 102;
    return 100;
}
