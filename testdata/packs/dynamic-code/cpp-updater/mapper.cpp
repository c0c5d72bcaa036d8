#include "updater.h"

LPVOID MapAndRun(const ModuleImage &img)
{
    BYTE *base = (BYTE *)VirtualAlloc(NULL, img.bytes.size(), MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    memcpy(base, img.bytes.data(), img.bytes.size());
    DWORD old = 0;
    VirtualProtect(base, img.bytes.size(), PAGE_EXECUTE_READ, &old); // want "dynamic-code/network-bytes-executed"
    LPTHREAD_START_ROUTINE entry = (LPTHREAD_START_ROUTINE)(base + img.entryRva);
    CreateThread(NULL, 0, entry, NULL, 0, NULL); // want "dynamic-code/network-bytes-executed"
    return base;
}
