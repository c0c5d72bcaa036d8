// Telemetry samples in C++ with Qt: a tray agent that reports to its console over a
// QTcpSocket and QNetworkAccessManager. Qt's own accessors for host data (QSysInfo,
// qgetenv, QDir, QFile, QScreen) are as common as the native calls.
#include <QObject>
#include <QTcpSocket>
#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QClipboard>
#include <QGuiApplication>
#include <QSysInfo>
#include <QDir>
#include <QFile>
#include <QScreen>
#include <QBuffer>
#include <QSettings>
#include <QJsonObject>
#include <QJsonDocument>
#include <unistd.h>

class TrayAgent : public QObject {
    Q_OBJECT
public:
    explicit TrayAgent(QObject *parent = nullptr);
    void reportHost();
    void reportUser();
    void reportClipboard();
    void reportQtHost();
    void reportDocuments();
    void reportScreenshot();
    void reportSettings();
    void ping();
private slots:
    void onConnected();
    void onReadyRead();
private:
    QTcpSocket *m_socket;
    QNetworkAccessManager *m_nam;
    QUrl m_console;
};

TrayAgent::TrayAgent(QObject *parent) : QObject(parent), m_socket(new QTcpSocket(this)), m_nam(new QNetworkAccessManager(this))
{
    connect(m_socket, &QTcpSocket::connected, this, &TrayAgent::onConnected); // ok: a signal connection sends nothing
    connect(m_socket, SIGNAL(readyRead()), this, SLOT(onReadyRead())); // ok: a signal connection sends nothing
}

void TrayAgent::reportHost()
{
    char host[256];
    gethostname(host, sizeof host);
    QByteArray line = QByteArray("HOST ") + host + "\n";
    m_socket->write(line); // want "telemetry/host-identity-upload"
}

void TrayAgent::reportUser()
{
    const char *login = getlogin();
    QJsonObject o;
    o["user"] = QString::fromLocal8Bit(login);
    QByteArray body = QJsonDocument(o).toJson();
    m_nam->post(QNetworkRequest(m_console), body); // want "telemetry/host-identity-upload"
}

void TrayAgent::reportClipboard()
{
    QClipboard *cb = QGuiApplication::clipboard();
    QString text = cb->text();
    m_socket->write(text.toUtf8()); // want "telemetry/clipboard-upload"
}

void TrayAgent::reportQtHost()
{
    QString host = QSysInfo::machineHostName();
    QString user = qEnvironmentVariable("USERNAME");
    m_socket->write((host + "/" + user).toUtf8()); // want "telemetry/host-identity-upload"
}

void TrayAgent::reportDocuments()
{
    QDir docs(QDir::homePath() + "/Documents");
    QStringList names = docs.entryList(QDir::Files);
    m_socket->write(names.join('\n').toUtf8()); // want "telemetry/directory-listing-upload"
    QFile f(docs.filePath(names.value(0)));
    f.open(QIODevice::ReadOnly);
    m_nam->post(QNetworkRequest(m_console), f.readAll()); /* todo-ok "telemetry/directory-listing-upload" the name f was opened with reaches readAll's result through its object, so the contents count as the name */ // want "telemetry/file-content-upload"
}

void TrayAgent::reportScreenshot()
{
    QScreen *screen = QGuiApplication::primaryScreen();
    QPixmap shot = screen->grabWindow(0);
    QByteArray png;
    QBuffer buf(&png);
    shot.save(&buf, "PNG");
    m_nam->post(QNetworkRequest(m_console), png); // todo "telemetry/screen-upload" the pixmap is saved into a QBuffer that wraps png: a write through one object into another it was built on is not followed
}

// ---- must not match -------------------------------------------------------------------

void TrayAgent::ping()
{
    m_socket->write("PING\n"); // ok: a constant
    m_nam->post(QNetworkRequest(m_console), QByteArray("{\"status\":\"alive\"}")); // ok: a constant body
}

void TrayAgent::reportSettings()
{
    QSettings settings("AvCorp", "Tray");
    int interval = settings.value("interval", 60).toInt();
    m_socket->write(QByteArray::number(interval)); // ok: the product's own setting
}

void TrayAgent::onConnected()
{
    char host[256];
    gethostname(host, sizeof host);
    qDebug("connected from %s", host);
    m_socket->write("HELLO\n"); // ok: the host name was only logged
}

void TrayAgent::onReadyRead()
{
    QByteArray reply = m_socket->readAll();
    m_socket->write("ACK " + QByteArray::number(reply.size()) + "\n"); // ok: the size of a server reply is not host data
}
