// Annotated samples for the telemetry pack in C++: collectors that derive from a manager
// class and send through the Send they inherit, called plainly or on this.
#include <windows.h>
#include <winsock2.h>

class Channel {
public:
    SOCKET m_sock;
    int Send(const BYTE *data, UINT size);
};

class Manager {
public:
    Channel *m_channel;
    int Send(const BYTE *data, UINT size);
};

class ClipboardCollector : public Manager {
public:
    void Collect();
};

class VersionCollector : public Manager {
public:
    void Collect();
    void Ping();
};

int Channel::Send(const BYTE *data, UINT size)
{
    return send(m_sock, (const char *)data, (int)size, 0); // want "telemetry/clipboard-upload" "telemetry/host-identity-upload"
}

int Manager::Send(const BYTE *data, UINT size)
{
    return m_channel->Send(data, size);
}

void ClipboardCollector::Collect()
{
    OpenClipboard(NULL);
    HANDLE h = GetClipboardData(CF_TEXT);
    const char *text = (const char *)GlobalLock(h);
    BYTE packet[256];
    memcpy(packet, text, sizeof packet);
    Send(packet, sizeof packet);
}

void VersionCollector::Collect()
{
    OSVERSIONINFOA vi = { sizeof vi };
    GetVersionExA(&vi);
    this->Send((const BYTE *)&vi, sizeof vi);
}

void VersionCollector::Ping()
{
    static const BYTE ping[] = { 'P', 'I', 'N', 'G' };
    Send(ping, sizeof ping); // ok: a constant packet
}
