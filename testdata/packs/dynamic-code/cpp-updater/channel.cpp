#include "updater.h"

bool ModuleChannel::Receive(ModuleImage &out)
{
    DWORD size = 0;
    if (recv(m_sock, (char *)&size, sizeof size, MSG_WAITALL) != sizeof size)
        return false;
    out.bytes.resize(size);
    recv(m_sock, (char *)&out.bytes[0], (int)size, MSG_WAITALL);
    recv(m_sock, (char *)&out.entryRva, sizeof out.entryRva, MSG_WAITALL);
    return true;
}
