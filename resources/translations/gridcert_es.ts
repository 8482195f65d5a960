<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es" sourcelanguage="en">
<context>
    <name></name>
    <message>
        <location filename="../../app/gui/dialogs.py" line="28"/>
        <source>Choose the certificate files you were sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="177"/>
        <source>What would you like to do?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="179"/>
        <source>GridCert puts the certificates your grid operator sent you where your browsers and this computer need them. You can also drop files here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="186"/>
        <source>&amp;Install certificates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="187"/>
        <source>&amp;Renew a certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="188"/>
        <source>&amp;Move a certificate to another computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="189"/>
        <source>&amp;Check my certificates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="202"/>
        <source>&lt;b&gt;To install, have ready:&lt;/b&gt;&lt;ul style=&apos;margin-left:-20px&apos;&gt;&lt;li&gt;your certificate file (&lt;i&gt;.pfx&lt;/i&gt; or &lt;i&gt;.p12&lt;/i&gt;) and its password, from your grid operator&apos;s emails;&lt;/li&gt;&lt;li&gt;your operator&apos;s root certificates (a &lt;i&gt;.zip&lt;/i&gt;); GridCert shows where to download them if you don&apos;t have them.&lt;/li&gt;&lt;/ul&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="216"/>
        <source>Tip: you can also open a .pfx or .zip with GridCert, or drop it on this window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="257"/>
        <source>GridCert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="264"/>
        <source>&amp;Next &gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="265"/>
        <source>&lt; &amp;Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="266"/>
        <source>&amp;Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="267"/>
        <source>&amp;Install</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="330"/>
        <source>This part of GridCert could not be loaded; the log has the details.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AddFilesPage</name>
    <message>
        <location filename="../../app/gui/pages_install.py" line="126"/>
        <source>Add the files you were sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="128"/>
        <source>Your own certificate is a .pfx or .p12 file (you also got a password for it). Your operator&apos;s root certificates usually come as a .zip. Drop the files here or choose Browse.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="136"/>
        <source>Files to install</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="137"/>
        <source>Drop certificate files here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="140"/>
        <source>No files yet: drop them here, or choose Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="145"/>
        <source>Bro&amp;wse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="147"/>
        <source>Browse for certificate files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="149"/>
        <source>&amp;Remove from list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="151"/>
        <source>Remove the selected files from the list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="163"/>
        <source>Don&apos;t have your operator&apos;s root certificates?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="166"/>
        <source>&amp;Operator:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="169"/>
        <source>Grid operator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="174"/>
        <source>The operator&apos;s root certificates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="240"/>
        <source>{name}   (in {folder})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="285"/>
        <source>test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="285"/>
        <source>production</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="291"/>
        <source>GridCert knows no roots for this operator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="296"/>
        <source>Download the .zip from the operator&apos;s page, then add it here.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CertificateCard</name>
    <message>
        <location filename="../../app/gui/pages_install.py" line="326"/>
        <source>SHA-256:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="336"/>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="338"/>
        <source>Copy the SHA-256 fingerprint of </source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CheckPage</name>
    <message>
        <location filename="../../app/gui/pages_check.py" line="62"/>
        <source>Your certificates on this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="64"/>
        <source>Everything GridCert finds in your browsers and certificate stores. Expired and duplicate certificates clutter the list your browser shows when you sign in: select them and press Remove (a backup is kept; Undo brings them back).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="72"/>
        <source>Certificates found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="91"/>
        <source>Show &amp;all certificates (also the public roots built into Java and this system)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="93"/>
        <source>Show all certificates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="99"/>
        <source>&amp;Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="101"/>
        <source>Look again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="103"/>
        <source>Re&amp;move selected…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="105"/>
        <source>Remove the selected certificates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="108"/>
        <source>&amp;Undo the removal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="110"/>
        <source>Undo the removal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="134"/>
        <source>Looking through your browsers and certificate stores…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="188"/>
        <source>{what} in all.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="191"/>
        <source>{what} of yours and your grid operators&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="195"/>
        <source>{n} other public roots are not shown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="197"/>
        <source>{n} expired.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="199"/>
        <source>{n} expire within 30 days.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="222"/>
        <source>Remove certificates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="223"/>
        <source>Remove these certificates?

{names}

GridCert keeps a backup, and Undo puts them back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="224"/>
        <source>&amp;Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="229"/>
        <source>Removing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="246"/>
        <source>Nothing was removed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="257"/>
        <source>Undo did not complete.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CompletePage</name>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="672"/>
        <source>The certificate for your request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="673"/>
        <source>Choose the file your operator sent back (.cer, .crt, .pem or .p7b).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="677"/>
        <source>No file chosen yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="678"/>
        <source>&amp;Choose the file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="680"/>
        <source>Choose the issued certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="688"/>
        <source>&amp;Install it on this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="691"/>
        <source>&amp;Save it with its key as a .pfx (for a device or another computer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="703"/>
        <source>Where to save the .pfx</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="705"/>
        <source>Bro&amp;wse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="709"/>
        <source>Save as:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="710"/>
        <source>Password for the .pfx</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="711"/>
        <source>The password again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="714"/>
        <source>&amp;Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="715"/>
        <source>A&amp;gain:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="722"/>
        <source>Passphrase of the request&apos;s key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="724"/>
        <source>Passphrase you chose for the &amp;request:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="728"/>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="742"/>
        <source>Save the certificate with its key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="744"/>
        <source>Certificate with its key (*.pfx)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="758"/>
        <source>The two passwords are not the same.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="767"/>
        <source>Looking for the request it answers…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="776"/>
        <source>‘{name}’ answers the request made {age} ({subject}).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConfirmPage</name>
    <message>
        <location filename="../../app/gui/pages_install.py" line="645"/>
        <source>Ready to install</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="646"/>
        <source>This is exactly what GridCert will do. Nothing has changed yet; if any step fails, everything is put back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="653"/>
        <source>Planned steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="664"/>
        <source>Install &amp;anyway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="666"/>
        <source>Install anyway, despite the warnings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="669"/>
        <source>Check a&amp;gain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="671"/>
        <source>Check the stores again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="686"/>
        <source>Working out the steps…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="703"/>
        <source> (already there; nothing to do)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="723"/>
        <source>Nothing to do: everything is already where it should be.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="727"/>
        <source>{steps}. Press Install to go ahead.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DonePage</name>
    <message>
        <location filename="../../app/gui/backup_hook.py" line="36"/>
        <source>Your .pfx had no password, and a backup needs one: use &apos;Move a certificate to another computer&apos; to save it with a new password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/backup_hook.py" line="41"/>
        <location filename="../../app/gui/pages_install.py" line="875"/>
        <source>Save a backup of your certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/backup_hook.py" line="43"/>
        <source>Certificate with its key (*.pfx)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/backup_hook.py" line="47"/>
        <source>Saving and checking the backup…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/backup_hook.py" line="57"/>
        <source>Backup saved to {path}, protected with the same password as the .pfx you were sent. Keep it somewhere safe.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="854"/>
        <location filename="../../app/gui/pages_move.py" line="541"/>
        <source>What was checked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="865"/>
        <source>&amp;Undo this installation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="867"/>
        <source>Undo this installation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="869"/>
        <source>Open the &amp;log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="871"/>
        <source>Open GridCert&apos;s log file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="873"/>
        <source>&amp;Save a backup of your certificate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="889"/>
        <source>Done: your certificates are installed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="890"/>
        <source>GridCert checked each place afterwards. Restart your browsers so that they see the change.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="892"/>
        <source>What GridCert found when it checked:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="898"/>
        <source>What now: restart your browser and open your operator&apos;s site. When the browser asks which certificate to use, choose &apos;{name}&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="908"/>
        <source>The installation stopped partway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="909"/>
        <source>Some changes could not be put back; the message below says what to do.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="912"/>
        <source>Nothing was installed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="913"/>
        <source>Your browsers and this computer are as they were before.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="916"/>
        <source>What now: nothing needs cleaning up. Put right what the message says, then close GridCert and install again. The log has the details.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="918"/>
        <source>The installation did not run.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="921"/>
        <source>It stopped{where}: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="923"/>
        <source>The steps already done were undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="926"/>
        <source>Undone: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="944"/>
        <source>Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="945"/>
        <source>Remove what this installation added, from every place?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="946"/>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="948"/>
        <source>Undoing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="954"/>
        <source>Undone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="955"/>
        <source>Everything this installation added has been removed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="960"/>
        <source>The installation was undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="963"/>
        <source>Undo did not complete.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="971"/>
        <source>The log could not be opened{where}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="554"/>
        <source>The file was not saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="555"/>
        <source>Nothing on this computer was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="562"/>
        <source>Your certificate is ready to move</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="563"/>
        <source>GridCert opened the file again and checked it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="564"/>
        <location filename="../../app/gui/pages_renew.py" line="984"/>
        <source>Saved to {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="568"/>
        <source>The password is kept in the system keyring.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="571"/>
        <source>Copy the file to the other computer and open it there (double-click on Windows and macOS, or run GridCert there). Send the password separately, never in the same e-mail as the file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="574"/>
        <source>Point your script at this file; it needs the passphrase to open the key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="885"/>
        <source>What was done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="892"/>
        <source>The certificate request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="896"/>
        <source>&amp;Copy the request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="898"/>
        <source>Copy the request to the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="915"/>
        <source>That did not work</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="916"/>
        <source>Nothing was lost: your certificates are as they were.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="931"/>
        <source>Your certificate request is ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="932"/>
        <source>It is saved and copied to the clipboard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="943"/>
        <source>The request is on the clipboard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="949"/>
        <source>The new certificate was not installed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="950"/>
        <source>Your current certificate is untouched.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="953"/>
        <source>Your new certificate is installed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="954"/>
        <source>Your new certificate is installed; the old one was kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="955"/>
        <source>Restart your browsers so that they see the change.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="956"/>
        <source>What GridCert checked:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="969"/>
        <source>The certificate was not installed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="970"/>
        <source>The request stays here, so you can try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="973"/>
        <source>Your renewed certificate is ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="975"/>
        <source>It is paired with the key made on this computer. Restart your browsers so that they see it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="977"/>
        <source>It is paired with the key made on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="978"/>
        <source>‘{name}’, valid until {day}. What GridCert checked:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Flows</name>
    <message>
        <location filename="../../app/gui/navigation.py" line="288"/>
        <source>Install certificates</source>
        <extracomment>Files the user added, in the order added (paths as given). True while a worker runs for the current page (Next is disabled meanwhile). The files have been read (ReadResult in `read`), for the current `files`. PKCS#12 sources that need a password (found locked on the Review page). Passwords typed on the Password page, kept in memory only, keyed by source. Sources whose typed password has been tried and opened the file. Target ids ticked on the Where page. The Plan shown on the Confirm page. The plan has warnings and the user ticked &quot;Install anyway&quot;. The ApplyReport once the Progress page has finished. Free room for flows added by other parts (renew, move). The Qt Linguist context of the flows&apos; titles and descriptions. They are marked with QT_TRANSLATE_NOOP below (pyside6-lupdate collects such calls) and translated where they are shown (`translated(flow.title)` in app/gui/wizard.py), so this module stays plain Python and the texts follow a language change at run time.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/navigation.py" line="289"/>
        <source>Put the files you were sent (your .pfx, the operator&apos;s root .zip) where your browsers and this computer need them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/navigation.py" line="307"/>
        <source>Check my certificates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/navigation.py" line="308"/>
        <source>See every certificate GridCert finds on this computer, when each one expires, and remove old ones.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="126"/>
        <location filename="../../app/gui/wizard.py" line="59"/>
        <source>Move a certificate to another computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="127"/>
        <location filename="../../app/gui/wizard.py" line="60"/>
        <source>Save your certificate with its key as a password-protected file that the other computer (or program) can open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="174"/>
        <location filename="../../app/gui/wizard.py" line="53"/>
        <source>Renew a certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="175"/>
        <location filename="../../app/gui/wizard.py" line="54"/>
        <source>Install the new certificate file your operator sent (the old one is backed up), or make a certificate request and finish it when the answer comes.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HowPage</name>
    <message>
        <location filename="../../app/gui/pages_move.py" line="307"/>
        <source>Where is it going?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="308"/>
        <source>The answer decides how the file is protected, so that the other computer can open it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="310"/>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="312"/>
        <source>The file will be opened on:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="324"/>
        <source>Protect it with:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="326"/>
        <source>&amp;Type a password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="328"/>
        <source>&amp;Make a passphrase for me (shown once: copy it or write it down)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="335"/>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="336"/>
        <source>The password again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="339"/>
        <source>P&amp;assword:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="341"/>
        <source>A&amp;gain:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="348"/>
        <source>Your new passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="350"/>
        <source>&amp;Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="352"/>
        <source>Copy the passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="356"/>
        <source>Passphrase:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="361"/>
        <source>&amp;Remember this password in the system keyring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="368"/>
        <source>Where to save the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="370"/>
        <source>Bro&amp;wse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="373"/>
        <source>Save as:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="397"/>
        <source>No system keyring is available here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="431"/>
        <source>The passphrase is on the clipboard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="434"/>
        <source>PEM files (*.pem)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="435"/>
        <source>Certificate with its key (*.pfx *.p12)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="436"/>
        <source>Save the certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="454"/>
        <source>The two passwords are not the same.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="461"/>
        <source>This password is short and easy to guess; a longer one, or a generated passphrase, protects your key better.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="277"/>
        <source>Renew a certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="278"/>
        <source>What do you have?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="282"/>
        <source>I received a new certificate &amp;file (.pfx or .p12) from my grid operator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="284"/>
        <source>The usual ERCOT renewal. GridCert installs the new one next to the old one, checks it, then removes the old one after saving a backup.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="286"/>
        <source>I need to make a certificate &amp;request (CSR)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="287"/>
        <source>For CAISO device certificates (RIG, DPG, ICCP) and operators that ask for a request. The new private key stays on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="289"/>
        <source>I received the certificate for a request made &amp;here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="290"/>
        <source>GridCert pairs it with the key it kept, then installs it or saves it as a .pfx.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="315"/>
        <source>No certificate request made here is waiting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="319"/>
        <source>Requests made here that are waiting for their certificate:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NewFilePage</name>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="343"/>
        <source>Your new certificate file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="344"/>
        <source>Choose the .pfx your operator sent, and type the password that came with it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="348"/>
        <source>No file chosen yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="349"/>
        <source>&amp;Choose the file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="351"/>
        <source>Choose the new certificate file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="357"/>
        <source>Password of the new file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="359"/>
        <source>&amp;Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="364"/>
        <source>Caps Lock seems to be on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="392"/>
        <source>Opening the file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="403"/>
        <source>This file holds no certificate with its private key; the new file from your operator is a .pfx or .p12.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="409"/>
        <source>Your new certificate: {name}, valid until {day}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PasswordPage</name>
    <message>
        <location filename="../../app/gui/pages_install.py" line="500"/>
        <source>Type the password of your certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="502"/>
        <source>It is the password that came with the .pfx file (often in a separate email or shown once when you downloaded it). GridCert keeps it only while it runs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="536"/>
        <source>Opening the files…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="551"/>
        <source>Check the password (it is case-sensitive) and try again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PasswordRow</name>
    <message>
        <location filename="../../app/gui/pages_install.py" line="462"/>
        <source>Password for {name}:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="467"/>
        <source>Password for {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="473"/>
        <location filename="../../app/gui/pages_install.py" line="491"/>
        <source>Show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="475"/>
        <source>Show the password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="477"/>
        <source>Caps Lock seems to be on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="491"/>
        <source>Hide</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProgressPage</name>
    <message>
        <location filename="../../app/gui/pages_install.py" line="757"/>
        <source>Installing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="758"/>
        <source>Please keep this window open. Each place is checked afterwards.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="763"/>
        <source>Steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="769"/>
        <source>Progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="774"/>
        <source>&amp;Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="776"/>
        <source>Stop the installation and put everything back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="784"/>
        <source>&amp;Next &gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="795"/>
        <source>Starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="819"/>
        <source>Stopping… what was done is being put back.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RequestPage</name>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="511"/>
        <source>Make a certificate request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="512"/>
        <source>Whose certificate is it? When you renew, the request copies your current certificate&apos;s name exactly.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="514"/>
        <source>&amp;Make the request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="519"/>
        <source>&amp;Renew one of your certificates:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="521"/>
        <source>Renew one of your certificates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="524"/>
        <source>Certificate to renew</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="525"/>
        <source>&amp;Type the details (a new certificate):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="527"/>
        <source>Type the details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="536"/>
        <source>&amp;Name (CN), e.g. your name or the device:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="537"/>
        <source>&amp;Organisation (O):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="538"/>
        <source>&amp;Unit (OU):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="539"/>
        <source>&amp;City (L):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="540"/>
        <source>&amp;State (ST):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="541"/>
        <source>Countr&amp;y (C), two letters:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="573"/>
        <source>Save the request &amp;as:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="542"/>
        <source>&amp;E-mail:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="554"/>
        <source>Key type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="558"/>
        <source>&amp;Key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="564"/>
        <source>Where to save the request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="566"/>
        <source>Bro&amp;wse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="576"/>
        <source>Passphrase for the new key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="578"/>
        <source>&amp;Passphrase for the new key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="611"/>
        <source>The new private key is kept on this computer, encrypted; its passphrase is kept in your system&apos;s keyring.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="613"/>
        <source>This computer has no keyring GridCert can use: choose a passphrase for the new key and keep it — you need it when the certificate comes back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="618"/>
        <source>Save the certificate request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="620"/>
        <source>Certificate request (*.csr)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <location filename="../../app/gui/pages_install.py" line="354"/>
        <source>Check what is in these files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="356"/>
        <source>Compare the roots&apos; fingerprints with your operator&apos;s web page if you can. Nothing is installed yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="372"/>
        <source>Reading the files…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="403"/>
        <source>{name} — your certificate, locked with a password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="406"/>
        <source>You will type its password on the next page; then GridCert opens it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="412"/>
        <source> It will be left out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="418"/>
        <source>Found {what}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="420"/>
        <source> and {what} locked with a password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="425"/>
        <source>Nothing to install: none of these files holds a certificate. Go Back and add the files you were sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="431"/>
        <source>Fingerprint copied.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RunPage</name>
    <message>
        <location filename="../../app/gui/pages_move.py" line="482"/>
        <source>Saving and checking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="483"/>
        <source>GridCert writes the file, then opens it again to make sure it is right.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="491"/>
        <location filename="../../app/gui/pages_renew.py" line="814"/>
        <source>&amp;Next &gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="803"/>
        <source>Working…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="804"/>
        <source>Please keep this window open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="808"/>
        <source>Progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="821"/>
        <source>Starting…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WhatPage</name>
    <message>
        <location filename="../../app/gui/pages_move.py" line="177"/>
        <source>Which certificate do you want to move?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="178"/>
        <source>Your certificates that have their private key on this computer. Or open a .pfx file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="185"/>
        <source>Your certificates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="189"/>
        <source>Open a .pfx &amp;file instead…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="191"/>
        <source>Open a certificate file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="201"/>
        <source>Password of the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="203"/>
        <source>O&amp;pen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="209"/>
        <source>File:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="211"/>
        <source>Pass&amp;word:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="221"/>
        <source>Looking for your certificates…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="240"/>
        <source>GridCert found no certificate with its private key on this computer. Open the .pfx file you were sent instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="263"/>
        <source>Opening the file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="273"/>
        <source>This file holds no private key, so there is nothing to move: move the .pfx your operator sent, or ask them for a new certificate.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WherePage</name>
    <message>
        <location filename="../../app/gui/pages_install.py" line="570"/>
        <source>Where should they go?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="572"/>
        <location filename="../../app/gui/pages_renew.py" line="452"/>
        <source>GridCert found these places on this computer. The usual ones are ticked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="587"/>
        <source>Looking for browsers and certificate stores…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="626"/>
        <source>GridCert found no certificate store it can use on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="419"/>
        <source>Where does the new certificate go?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="420"/>
        <location filename="../../app/gui/pages_renew.py" line="450"/>
        <source>The places that hold your current certificate are ticked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="421"/>
        <source>&amp;Install</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="428"/>
        <source>&amp;Remove the old certificate once the new one is in (a backup is kept)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="430"/>
        <source>Remove the old certificate afterwards</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="439"/>
        <source>Backup passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="441"/>
        <source>&amp;Passphrase for the backup:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="447"/>
        <source>Looking for your certificate stores…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="467"/>
        <source>GridCert found no place on this computer that holds personal certificates.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="470"/>
        <source>Your current certificate: {names}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="471"/>
        <source>Your older certificates: {names}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="475"/>
        <source>No older certificate of yours was found; the new one is simply installed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>page</name>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="1005"/>
        <source>Remind me &amp;every day when a certificate is about to expire</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="1007"/>
        <source>Daily reminder</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
