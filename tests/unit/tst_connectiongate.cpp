// ConnectionGate: who is let in at accept time (allow-list, per-address cap) and the count
// given back on release; peerAddress() on real sockets.
#include "http/connectiongate.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <atomic>
#include <thread>
#include <vector>

using Verdict = ConnectionGate::Verdict;

namespace {
ServerConfig config(int maxPerAddress, const QStringList &networks = {})
{
    ServerConfig c;
    c.maxClientsPerAddress = maxPerAddress;
    for (const QString &network : networks)
        c.allowedNetworks.append(QHostAddress::parseSubnet(network));
    return c;
}
} // namespace

class TestConnectionGate : public QObject
{
    Q_OBJECT

private slots:
    void everyoneWithoutAllowList();
    void allowList_data();
    void allowList();
    void forbiddenIsNotCounted();
    void perAddressCap();
    void releaseGivesBack();
    void noCap();
    void concurrentAdmitsKeepTheCap();
    void peerAddressOfRealSockets();
};

void TestConnectionGate::everyoneWithoutAllowList()
{
    ConnectionGate gate(config(0));
    for (const char *address : {"127.0.0.1", "10.1.2.3", "192.168.7.9", "::1", "2001:db8::5"})
        QCOMPARE(gate.admit(QString::fromLatin1(address)), Verdict::Admit);
}

void TestConnectionGate::allowList_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("admitted");
    QTest::newRow("inside /8") << "10.200.3.4" << true;
    QTest::newRow("first of /8") << "10.0.0.0" << true;
    QTest::newRow("next to /8") << "11.0.0.1" << false;
    QTest::newRow("the single address") << "127.0.0.2" << true;
    QTest::newRow("its neighbour") << "127.0.0.1" << false;
    QTest::newRow("IPv6 in /64") << "2001:db8:0:0:1::7" << true;
    QTest::newRow("IPv6 outside") << "2001:db8:0:1::7" << false;
    QTest::newRow("IPv6 loopback") << "::1" << false;
    QTest::newRow("not an address") << "kiosk.local" << false;
}

void TestConnectionGate::allowList()
{
    QFETCH(QString, address);
    QFETCH(bool, admitted);
    ConnectionGate gate(config(16, {"10.0.0.0/8", "127.0.0.2", "2001:db8::/64"}));
    QCOMPARE(gate.admit(address), admitted ? Verdict::Admit : Verdict::Forbidden);
}

void TestConnectionGate::forbiddenIsNotCounted()
{
    // A refused address never takes a place, so refusing it again and again changes nothing;
    // the allow-list is checked before the count.
    ConnectionGate gate(config(1, {"10.0.0.0/8"}));
    for (int i = 0; i < 5; ++i)
        QCOMPARE(gate.admit(QStringLiteral("192.168.0.1")), Verdict::Forbidden);
    QCOMPARE(gate.admit(QStringLiteral("10.0.0.1")), Verdict::Admit);
    QCOMPARE(gate.admit(QStringLiteral("10.0.0.1")), Verdict::TooManyFromAddress);
    QCOMPARE(gate.admit(QStringLiteral("192.168.0.1")), Verdict::Forbidden);
}

void TestConnectionGate::perAddressCap()
{
    ConnectionGate gate(config(3));
    for (int i = 0; i < 3; ++i)
        QCOMPARE(gate.admit(QStringLiteral("127.0.0.1")), Verdict::Admit);
    QCOMPARE(gate.admit(QStringLiteral("127.0.0.1")), Verdict::TooManyFromAddress);
    QCOMPARE(gate.admit(QStringLiteral("127.0.0.1")), Verdict::TooManyFromAddress);
    // Each address has its own count.
    for (int i = 0; i < 3; ++i)
        QCOMPARE(gate.admit(QStringLiteral("127.0.0.2")), Verdict::Admit);
    QCOMPARE(gate.admit(QStringLiteral("127.0.0.2")), Verdict::TooManyFromAddress);
}

void TestConnectionGate::releaseGivesBack()
{
    ConnectionGate gate(config(2));
    const QString a = QStringLiteral("192.0.2.1");
    QCOMPARE(gate.admit(a), Verdict::Admit);
    QCOMPARE(gate.admit(a), Verdict::Admit);
    QCOMPARE(gate.admit(a), Verdict::TooManyFromAddress);
    gate.release(a);
    QCOMPARE(gate.admit(a), Verdict::Admit); // the freed place, and only that one
    QCOMPARE(gate.admit(a), Verdict::TooManyFromAddress);
    gate.release(a);
    gate.release(a);
    // Released more often than admitted (a refused connection closing): never below zero, so
    // the cap still holds afterwards.
    gate.release(a);
    gate.release(a);
    gate.release(QStringLiteral("192.0.2.99")); // never admitted
    QCOMPARE(gate.admit(a), Verdict::Admit);
    QCOMPARE(gate.admit(a), Verdict::Admit);
    QCOMPARE(gate.admit(a), Verdict::TooManyFromAddress);
}

void TestConnectionGate::noCap()
{
    ConnectionGate gate(config(0));
    for (int i = 0; i < 5000; ++i)
        QCOMPARE(gate.admit(QStringLiteral("127.0.0.1")), Verdict::Admit);
}

void TestConnectionGate::concurrentAdmitsKeepTheCap()
{
    // The listeners (plain and TLS) admit and the pools release from their own threads.
    ConnectionGate gate(config(50));
    std::atomic<int> admitted{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 200; ++i) {
                if (gate.admit(QStringLiteral("198.51.100.7")) == Verdict::Admit)
                    ++admitted;
            }
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    QCOMPARE(admitted.load(), 50);
    threads.clear();
    for (int t = 0; t < 5; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 10; ++i)
                gate.release(QStringLiteral("198.51.100.7"));
        });
    for (std::thread &thread : threads)
        thread.join();
    for (int i = 0; i < 50; ++i)
        QCOMPARE(gate.admit(QStringLiteral("198.51.100.7")), Verdict::Admit);
    QCOMPARE(gate.admit(QStringLiteral("198.51.100.7")), Verdict::TooManyFromAddress);
}

void TestConnectionGate::peerAddressOfRealSockets()
{
    // A dual-stack listener sees IPv4 viewers as ::ffff:a.b.c.d; the gate (and /status) must
    // call them a.b.c.d, so that --allow 127.0.0.1 and the per-address count mean the same
    // address whichever socket they came in on.
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::Any, 0));
    QTcpSocket client;
    client.connectToHost(QHostAddress(QStringLiteral("127.0.0.1")), server.serverPort());
    QVERIFY(client.waitForConnected(30000));
    QVERIFY(server.waitForNewConnection(30000));
    QTcpSocket *accepted = server.nextPendingConnection();
    QVERIFY(accepted);
    quint16 port = 0;
    QCOMPARE(ConnectionGate::peerAddress(int(accepted->socketDescriptor()), &port),
             QStringLiteral("127.0.0.1"));
    QCOMPARE(port, client.localPort());
    QCOMPARE(ConnectionGate::peerAddress(int(accepted->socketDescriptor())),
             QStringLiteral("127.0.0.1"));

    QTcpServer server6;
    if (!server6.listen(QHostAddress::LocalHostIPv6, 0))
        QSKIP("no IPv6 loopback here");
    QTcpSocket client6;
    client6.connectToHost(QHostAddress::LocalHostIPv6, server6.serverPort());
    QVERIFY(client6.waitForConnected(30000));
    QVERIFY(server6.waitForNewConnection(30000));
    QTcpSocket *accepted6 = server6.nextPendingConnection();
    QCOMPARE(ConnectionGate::peerAddress(int(accepted6->socketDescriptor()), &port),
             QStringLiteral("::1"));
    QCOMPARE(port, client6.localPort());

    // Not a connected socket: no address.
    QCOMPARE(ConnectionGate::peerAddress(int(server.socketDescriptor())), QString());
}

QTEST_GUILESS_MAIN(TestConnectionGate)
#include "tst_connectiongate.moc"
