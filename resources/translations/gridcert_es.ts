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
        <location filename="../../app/gui/wizard.py" line="170"/>
        <source>What would you like to do?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="172"/>
        <source>GridCert puts the certificates your grid operator sent you where your browsers and this computer need them. You can also drop files here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="179"/>
        <source>&amp;Install certificates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="180"/>
        <source>&amp;Renew a certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="181"/>
        <source>&amp;Move a certificate to another computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="182"/>
        <source>&amp;Check my certificates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="193"/>
        <source>&lt;b&gt;To install, have ready:&lt;/b&gt;&lt;ul style=&apos;margin-left:-20px&apos;&gt;&lt;li&gt;your certificate file (&lt;i&gt;.pfx&lt;/i&gt; or &lt;i&gt;.p12&lt;/i&gt;) and its password, from your grid operator&apos;s emails;&lt;/li&gt;&lt;li&gt;your operator&apos;s root certificates (a &lt;i&gt;.zip&lt;/i&gt;); GridCert shows where to download them if you don&apos;t have them.&lt;/li&gt;&lt;/ul&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="207"/>
        <source>Tip: you can also open a .pfx or .zip with GridCert, or drop it on this window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="248"/>
        <source>GridCert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="255"/>
        <source>&amp;Next &gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="256"/>
        <source>&lt; &amp;Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="257"/>
        <source>&amp;Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="258"/>
        <source>&amp;Install</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/wizard.py" line="321"/>
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
        <source>&amp;Browse…</source>
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
        <location filename="../../app/gui/pages_install.py" line="284"/>
        <source>GridCert knows no roots for this operator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="289"/>
        <source>Download the .zip from the operator&apos;s page, then add it here.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CertificateCard</name>
    <message>
        <location filename="../../app/gui/pages_install.py" line="319"/>
        <source>SHA-256:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="329"/>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="331"/>
        <source>Copy the SHA-256 fingerprint of </source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CheckPage</name>
    <message>
        <location filename="../../app/gui/pages_check.py" line="59"/>
        <source>Your certificates on this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="61"/>
        <source>Everything GridCert finds in your browsers and certificate stores. Expired and duplicate certificates clutter the list your browser shows when you sign in: select them and press Remove (a backup is kept; Undo brings them back).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="69"/>
        <source>Certificates found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="83"/>
        <source>Show &amp;all certificates (also the public roots built into Java and this system)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="85"/>
        <source>Show all certificates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="91"/>
        <source>&amp;Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="93"/>
        <source>Look again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="95"/>
        <source>Re&amp;move selected…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="97"/>
        <source>Remove the selected certificates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="100"/>
        <source>&amp;Undo the removal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="102"/>
        <source>Undo the removal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="125"/>
        <source>Looking through your browsers and stores…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="179"/>
        <source>{what} in all.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="182"/>
        <source>{what} of yours and your grid operators&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="186"/>
        <source>{n} other public roots are not shown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="188"/>
        <source>{n} expired.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="190"/>
        <source>{n} expire within 30 days.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="213"/>
        <source>Remove certificates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="214"/>
        <source>Remove these certificates?

{names}

GridCert keeps a backup, and Undo puts them back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="215"/>
        <source>&amp;Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="220"/>
        <source>Removing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="237"/>
        <source>Nothing was removed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_check.py" line="248"/>
        <source>Undo did not complete.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CompletePage</name>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="643"/>
        <source>The certificate for your request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="644"/>
        <source>Choose the file your operator sent back (.cer, .crt, .pem or .p7b).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="648"/>
        <source>No file chosen yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="649"/>
        <source>&amp;Choose the file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="651"/>
        <source>Choose the issued certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="659"/>
        <source>&amp;Install it on this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="662"/>
        <source>&amp;Save it with its key as a .pfx (for a device or another computer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="674"/>
        <source>Where to save the .pfx</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="676"/>
        <source>Bro&amp;wse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="680"/>
        <source>Save as:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="681"/>
        <source>Password for the .pfx</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="682"/>
        <source>The password again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="685"/>
        <source>&amp;Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="686"/>
        <source>A&amp;gain:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="693"/>
        <source>Passphrase of the request&apos;s key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="695"/>
        <source>Passphrase you chose for the &amp;request:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="699"/>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="712"/>
        <source>Save the certificate with its key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="713"/>
        <source>Certificate with its key (*.pfx)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="727"/>
        <source>The two passwords are not the same.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="736"/>
        <source>Looking for the request it answers…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="745"/>
        <source>‘{name}’ answers the request made {age} ({subject}).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConfirmPage</name>
    <message>
        <location filename="../../app/gui/pages_install.py" line="638"/>
        <source>Ready to install</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="639"/>
        <source>This is exactly what GridCert will do. Nothing has changed yet; if any step fails, everything is put back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="646"/>
        <source>Planned steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="657"/>
        <source>Install &amp;anyway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="659"/>
        <source>Install anyway, despite the warnings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="662"/>
        <source>Check a&amp;gain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="664"/>
        <source>Check the stores again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="679"/>
        <source>Working out the steps…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="696"/>
        <source> (already there; nothing to do)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="716"/>
        <source>Nothing to do: everything is already where it should be.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="720"/>
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
        <location filename="../../app/gui/pages_install.py" line="866"/>
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
        <location filename="../../app/gui/pages_install.py" line="847"/>
        <location filename="../../app/gui/pages_move.py" line="526"/>
        <source>What was checked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="856"/>
        <source>&amp;Undo this installation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="858"/>
        <source>Undo this installation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="860"/>
        <source>Open the &amp;log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="862"/>
        <source>Open GridCert&apos;s log file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="864"/>
        <source>Save a &amp;backup of your certificate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="880"/>
        <source>Done: your certificates are installed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="881"/>
        <source>GridCert checked each place afterwards. Restart your browsers so that they see the change.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="883"/>
        <source>What GridCert found when it checked:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="889"/>
        <source>What now: restart your browser and open your operator&apos;s site. When the browser asks which certificate to use, choose &apos;{name}&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="896"/>
        <source>Nothing was installed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="897"/>
        <source>Your stores are as they were before.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="898"/>
        <source>The installation did not run.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="901"/>
        <source>It stopped{where}: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="903"/>
        <source>The steps already done were undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="906"/>
        <source>Undone: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="921"/>
        <source>Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="922"/>
        <source>Remove what this installation added, from every place?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="923"/>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="925"/>
        <source>Undoing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="931"/>
        <source>Undone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="932"/>
        <source>Everything this installation added has been removed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="936"/>
        <source>The installation was undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="939"/>
        <source>Undo did not complete.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="947"/>
        <source>The log could not be opened{where}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="536"/>
        <source>The file was not saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="537"/>
        <source>Nothing on this computer was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="542"/>
        <source>Your certificate is ready to move</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="543"/>
        <source>GridCert opened the file again and checked it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="544"/>
        <location filename="../../app/gui/pages_renew.py" line="945"/>
        <source>Saved to {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="548"/>
        <source>The password is kept in the system keyring.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="551"/>
        <source>Copy the file to the other computer and open it there (double-click on Windows and macOS, or run GridCert there). Send the password separately, never in the same e-mail as the file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="554"/>
        <source>Point your script at this file; it needs the passphrase to open the key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="854"/>
        <source>What was done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="859"/>
        <source>The certificate request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="863"/>
        <source>&amp;Copy the request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="865"/>
        <source>Copy the request to the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="881"/>
        <source>That did not work</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="882"/>
        <source>Nothing was lost: your certificates are as they were.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="896"/>
        <source>Your certificate request is ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="897"/>
        <source>It is saved and copied to the clipboard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="908"/>
        <source>The request is on the clipboard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="914"/>
        <source>The new certificate was not installed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="915"/>
        <source>Your current certificate is untouched.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="918"/>
        <source>Your new certificate is installed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="919"/>
        <source>Your new certificate is installed; the old one was kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="920"/>
        <source>Restart your browsers so that they see the change.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="921"/>
        <source>What GridCert checked:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="934"/>
        <source>The certificate was not installed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="935"/>
        <source>The request stays here, so you can try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="938"/>
        <source>Your renewed certificate is ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="939"/>
        <source>It is paired with the key made on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="940"/>
        <source>‘{name}’, valid until {day}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HowPage</name>
    <message>
        <location filename="../../app/gui/pages_move.py" line="295"/>
        <source>Where is it going?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="296"/>
        <source>The answer decides how the file is protected, so that the other computer can open it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="298"/>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="312"/>
        <source>&amp;Type a password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="314"/>
        <source>&amp;Make a passphrase for me (shown once: copy it or write it down)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="321"/>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="322"/>
        <source>The password again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="325"/>
        <source>Pass&amp;word:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="327"/>
        <source>A&amp;gain:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="334"/>
        <source>Your new passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="336"/>
        <source>&amp;Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="338"/>
        <source>Copy the passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="342"/>
        <source>Passphrase:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="347"/>
        <source>&amp;Remember this password in the system keyring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="354"/>
        <source>Where to save the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="356"/>
        <source>Bro&amp;wse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="359"/>
        <source>Save as:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="383"/>
        <source>No system keyring is available here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="417"/>
        <source>The passphrase is on the clipboard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="420"/>
        <source>PEM files (*.pem)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="421"/>
        <source>Certificate with its key (*.pfx *.p12)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="422"/>
        <source>Save the certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="439"/>
        <source>The two passwords are not the same.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="446"/>
        <source>This password is short and easy to guess; a longer one, or a generated passphrase, protects your key better.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="269"/>
        <source>Renew a certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="270"/>
        <source>What do you have?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="274"/>
        <source>I received a &amp;new certificate file (.pfx or .p12) from my grid operator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="276"/>
        <source>The usual ERCOT renewal. GridCert installs the new one next to the old one, checks it, then removes the old one after saving a backup.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="278"/>
        <source>I need to make a certificate &amp;request (CSR)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="279"/>
        <source>For CAISO device certificates (RIG, DPG, ICCP) and operators that ask for a request. The new private key stays on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="281"/>
        <source>I received the certificate for a request made &amp;here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="282"/>
        <source>GridCert pairs it with the key it kept, then installs it or saves it as a .pfx.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="307"/>
        <source>No certificate request made here is waiting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="311"/>
        <source>Requests made here that are waiting for their certificate:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NewFilePage</name>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="335"/>
        <source>Your new certificate file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="336"/>
        <source>Choose the .pfx your operator sent, and type the password that came with it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="340"/>
        <source>No file chosen yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="341"/>
        <source>&amp;Choose the file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="343"/>
        <source>Choose the new certificate file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="349"/>
        <source>Password of the new file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="351"/>
        <source>&amp;Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="375"/>
        <source>Opening the file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="386"/>
        <source>This file holds no certificate with its private key; the new file from your operator is a .pfx or .p12.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="392"/>
        <source>Your new certificate: {name}, valid until {day}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PasswordPage</name>
    <message>
        <location filename="../../app/gui/pages_install.py" line="493"/>
        <source>Type the password of your certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="495"/>
        <source>It is the password that came with the .pfx file (often in a separate email or shown once when you downloaded it). GridCert keeps it only while it runs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="529"/>
        <source>Opening the files…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="544"/>
        <source>Check the password (it is case-sensitive) and try again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PasswordRow</name>
    <message>
        <location filename="../../app/gui/pages_install.py" line="455"/>
        <source>Password for {name}:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="460"/>
        <source>Password for {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="466"/>
        <location filename="../../app/gui/pages_install.py" line="484"/>
        <source>Show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="468"/>
        <source>Show the password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="470"/>
        <source>Caps Lock seems to be on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="484"/>
        <source>Hide</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProgressPage</name>
    <message>
        <location filename="../../app/gui/pages_install.py" line="750"/>
        <source>Installing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="751"/>
        <source>Please keep this window open. Each place is checked afterwards.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="756"/>
        <source>Steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="762"/>
        <source>Progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="767"/>
        <source>&amp;Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="769"/>
        <source>Stop the installation and put everything back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="777"/>
        <source>&amp;Next &gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="788"/>
        <source>Starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="812"/>
        <source>Stopping… what was done is being put back.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RequestPage</name>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="489"/>
        <source>Make a certificate request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="490"/>
        <source>Whose certificate is it? When you renew, the request copies your current certificate&apos;s name exactly.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="492"/>
        <source>&amp;Make the request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="497"/>
        <source>Renew one of &amp;my certificates:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="499"/>
        <source>Renew one of my certificates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="502"/>
        <source>Certificate to renew</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="503"/>
        <source>&amp;Type the details (a new certificate):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="505"/>
        <source>Type the details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="514"/>
        <source>&amp;Name (CN), e.g. your name or the device:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="515"/>
        <source>&amp;Organisation (O):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="516"/>
        <source>&amp;Unit (OU):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="517"/>
        <source>&amp;City (L):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="518"/>
        <source>&amp;State (ST):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="519"/>
        <source>Country (&amp;C), two letters:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="520"/>
        <source>&amp;E-mail:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="531"/>
        <source>Key type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="535"/>
        <source>&amp;Key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="539"/>
        <source>Where to save the request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="541"/>
        <source>Bro&amp;wse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="546"/>
        <source>Save the &amp;request as:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="547"/>
        <source>Passphrase for the new key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="549"/>
        <source>&amp;Passphrase for the new key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="582"/>
        <source>The new private key is kept on this computer, encrypted; its passphrase is kept in your system&apos;s keyring.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="584"/>
        <source>This computer has no keyring GridCert can use: choose a passphrase for the new key and keep it — you need it when the certificate comes back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="589"/>
        <source>Save the certificate request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="590"/>
        <source>Certificate request (*.csr)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <location filename="../../app/gui/pages_install.py" line="347"/>
        <source>Check what is in these files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="349"/>
        <source>Compare the roots&apos; fingerprints with your operator&apos;s web page if you can. Nothing is installed yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="365"/>
        <source>Reading the files…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="396"/>
        <source>{name} — your certificate, locked with a password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="399"/>
        <source>You will type its password on the next page; then GridCert opens it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="405"/>
        <source> It will be left out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="411"/>
        <source>Found {what}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="413"/>
        <source> and {what} locked with a password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="418"/>
        <source>Nothing to install: none of these files holds a certificate. Go Back and add the files you were sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="424"/>
        <source>Fingerprint copied.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RunPage</name>
    <message>
        <location filename="../../app/gui/pages_move.py" line="467"/>
        <source>Saving and checking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="468"/>
        <source>GridCert writes the file, then opens it again to make sure it is right.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="476"/>
        <location filename="../../app/gui/pages_renew.py" line="783"/>
        <source>&amp;Next &gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="772"/>
        <source>Working…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="773"/>
        <source>Please keep this window open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="777"/>
        <source>Progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="790"/>
        <source>Starting…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WhatPage</name>
    <message>
        <location filename="../../app/gui/pages_move.py" line="169"/>
        <source>Which certificate do you want to move?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="170"/>
        <source>Your certificates that have their private key on this computer. Or open a .pfx file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="177"/>
        <source>Your certificates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="181"/>
        <source>Open a .pfx &amp;file instead…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="183"/>
        <source>Open a certificate file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="193"/>
        <source>Password of the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="195"/>
        <source>O&amp;pen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="201"/>
        <source>File:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="202"/>
        <source>&amp;Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="210"/>
        <source>Looking for your certificates…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="229"/>
        <source>GridCert found no certificate with its private key on this computer. Open the .pfx file you were sent instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="251"/>
        <source>Opening the file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_move.py" line="261"/>
        <source>This file holds no private key, so there is nothing to move: move the .pfx your operator sent, or ask them for a new certificate.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WherePage</name>
    <message>
        <location filename="../../app/gui/pages_install.py" line="563"/>
        <source>Where should they go?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="565"/>
        <source>GridCert found these places on this computer. The usual ones are ticked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="580"/>
        <source>Looking for browsers and certificate stores…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_install.py" line="619"/>
        <source>GridCert found no certificate store it can use on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="402"/>
        <source>Where does the new certificate go?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="403"/>
        <source>The places that hold your current certificate are ticked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="404"/>
        <source>&amp;Install</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="411"/>
        <source>&amp;Remove the old certificate once the new one is in (a backup is kept)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="413"/>
        <source>Remove the old certificate afterwards</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="422"/>
        <source>Backup passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="424"/>
        <source>Passphrase for the &amp;backup:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="430"/>
        <source>Looking for your certificate stores…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="446"/>
        <source>GridCert found no place on this computer that holds personal certificates.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="449"/>
        <source>Your current certificate: {names}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="453"/>
        <source>No older certificate of yours was found; the new one is simply installed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>page</name>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="965"/>
        <source>Remind me &amp;every day when a certificate is about to expire</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/gui/pages_renew.py" line="967"/>
        <source>Daily reminder</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
