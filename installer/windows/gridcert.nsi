; GridCert Windows installer (NSIS 3). Built by installer/build.sh on Windows:
;   makensis -DVERSION=0.1.0 -DBUNDLE_DIR=<dist\GridCert> -DOUTFILE=<...Setup.exe> gridcert.nsi
; CI on Linux compiles it against the Linux bundle with -DGUI_EXE=GridCert -DCLI_EXE=gridcert
; so that a broken script fails there (the result is not a working installer).
;
; Behaviour (see installer/windows/README.md for the switches and exit codes):
; - per user, no administrator rights: %LOCALAPPDATA%\Programs\GridCert, HKCU (default);
; - all users when the installer runs elevated: interactive choice, or /ALLUSERS;
; - Start-menu shortcut; "Open with GridCert" for .pfx .p12 .cer .crt .p7b through
;   OpenWithProgids (never the default handler);
; - Apps & features entry with version and publisher; uninstaller removes the program
;   files, shortcut and registry entries only: never certificates in any store, nor
;   GridCert's data folder (%LOCALAPPDATA%\GridCert: journal, backups, pending keys);
; - /S silent; /PROFILE=path runs `gridcert install --profile path --yes` after
;   installing and the installer exits with its exit code;
; - -DSIGN_COMMAND="signtool sign ..." signs the installer and the uninstaller.

Unicode true
; The x86 stub is the one every NSIS distribution ships (choco's included); it installs
; the 64-bit bundle fine, with SetRegView 64 and $PROGRAMFILES64 below.
SetCompressor /SOLID lzma
ManifestDPIAware true
ManifestSupportedOS all
RequestExecutionLevel user

!ifndef VERSION
  !define VERSION "0.0.0"
!endif
!ifndef BUNDLE_DIR
  !define BUNDLE_DIR "..\..\dist\GridCert"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\..\dist\GridCert-${VERSION}-Setup.exe"
!endif
; The bundle's executable names: Windows defaults; the Linux CI check overrides them.
!ifndef GUI_EXE
  !define GUI_EXE "GridCert.exe"
!endif
!ifndef CLI_EXE
  !define CLI_EXE "gridcert.com"
!endif
!ifndef ICON_FILE
  !define ICON_FILE "..\..\resources\icons\app\gridcert.ico"
!endif
!ifdef SIGN_COMMAND
  !finalize `${SIGN_COMMAND} "%1"` = 0
  !uninstfinalize `${SIGN_COMMAND} "%1"` = 0
!endif

!define APP_NAME "GridCert"
!define PUBLISHER "GridCert"
!define PROGID "GridCert.Certificate"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\GridCert"
; Exit code when /ALLUSERS is asked without elevation: Windows' ERROR_ELEVATION_REQUIRED.
!define EXIT_NEEDS_ELEVATION 740

; VIProductVersion needs four numbers; build.sh passes them (a version may carry a
; suffix such as "0.2.0rc1" that Windows' version resource cannot hold).
!ifndef VERSION_QUAD
  !define VERSION_QUAD "0.0.0.0"
!endif

Name "${APP_NAME}"
OutFile "${OUTFILE}"
BrandingText "${APP_NAME} ${VERSION}"
; No InstallDir attribute: $INSTDIR is then empty in .onInit unless /D= was given, which
; is how a folder chosen on the command line is told apart from the per-mode defaults.
ShowInstDetails show

VIProductVersion "${VERSION_QUAD}"
VIAddVersionKey "ProductName" "${APP_NAME}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "CompanyName" "${PUBLISHER}"
VIAddVersionKey "FileDescription" "${APP_NAME} installer"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "LegalCopyright" "${PUBLISHER} authors"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "nsDialogs.nsh"
!include "x64.nsh"

!define MUI_ICON "${ICON_FILE}"
!define MUI_UNICON "${ICON_FILE}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${GUI_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "Start GridCert now"

Var AllUsers        ; 1 = everyone on this computer (HKLM, Program Files)
Var IsAdmin         ; 1 = this process is elevated
Var ProfilePath     ; /PROFILE=... made absolute, or empty
Var CustomDir       ; the /D= folder, or empty
Var RadioMe
Var RadioAll

Page custom ModePageShow ModePageLeave
!define MUI_PAGE_CUSTOMFUNCTION_PRE DirectoryPre
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"

; ---------------------------------------------------------------------------- helpers

!macro UseMode
  ; Registry root, shell folders and registry view for the chosen mode.
  ${If} ${RunningX64}
    SetRegView 64
  ${EndIf}
  ${If} $AllUsers == 1
    SetShellVarContext all
  ${Else}
    SetShellVarContext current
  ${EndIf}
!macroend

!macro WriteKey KEY NAME VALUE
  ${If} $AllUsers == 1
    WriteRegStr HKLM "${KEY}" "${NAME}" `${VALUE}`
  ${Else}
    WriteRegStr HKCU "${KEY}" "${NAME}" `${VALUE}`
  ${EndIf}
!macroend

!macro WriteDword KEY NAME VALUE
  ${If} $AllUsers == 1
    WriteRegDWORD HKLM "${KEY}" "${NAME}" "${VALUE}"
  ${Else}
    WriteRegDWORD HKCU "${KEY}" "${NAME}" "${VALUE}"
  ${EndIf}
!macroend

!macro OpenWith EXT
  ; Listed under "Open with", without changing which program opens the file by default.
  ${If} $AllUsers == 1
    WriteRegNone HKLM "Software\Classes\${EXT}\OpenWithProgids" "${PROGID}"
  ${Else}
    WriteRegNone HKCU "Software\Classes\${EXT}\OpenWithProgids" "${PROGID}"
  ${EndIf}
  !insertmacro WriteKey "Software\Classes\Applications\${GUI_EXE}\SupportedTypes" "${EXT}" ""
!macroend

!macro un.OpenWith ROOT EXT
  DeleteRegValue ${ROOT} "Software\Classes\${EXT}\OpenWithProgids" "${PROGID}"
  DeleteRegKey /ifempty ${ROOT} "Software\Classes\${EXT}\OpenWithProgids"
  DeleteRegKey /ifempty ${ROOT} "Software\Classes\${EXT}"
!macroend

; ---------------------------------------------------------------------------- start

Function .onInit
  StrCpy $CustomDir $INSTDIR
  !insertmacro UseMode
  StrCpy $AllUsers 0
  StrCpy $IsAdmin 0
  UserInfo::GetAccountType
  Pop $0
  ; With UAC the un-elevated token of an administrator reports "User": so this is
  ; "Admin" only when the installer really runs elevated.
  ${If} $0 == "Admin"
    StrCpy $IsAdmin 1
  ${EndIf}

  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/ALLUSERS" $R1
  ${IfNot} ${Errors}
    ${If} $IsAdmin != 1
      MessageBox MB_ICONSTOP|MB_OK "Installing for all users needs administrator rights: run the installer elevated, or leave out /ALLUSERS to install for this user only." /SD IDOK
      SetErrorLevel ${EXIT_NEEDS_ELEVATION}
      Quit
    ${EndIf}
    StrCpy $AllUsers 1
  ${EndIf}
  ClearErrors
  ${GetOptions} $R0 "/CURRENTUSER" $R1
  ${IfNot} ${Errors}
    StrCpy $AllUsers 0
  ${EndIf}

  ; /PROFILE=path: made absolute now, because installing changes the working folder.
  StrCpy $ProfilePath ""
  ClearErrors
  ${GetOptions} $R0 "/PROFILE=" $R1
  ${IfNot} ${Errors}
    GetFullPathName $ProfilePath $R1
    ${IfNot} ${FileExists} $ProfilePath
      MessageBox MB_ICONSTOP|MB_OK "The deployment profile $R1 was not found." /SD IDOK
      SetErrorLevel 3
      Quit
    ${EndIf}
  ${EndIf}

  Call ApplyModeDefaults
FunctionEnd

Function ApplyModeDefaults
  ; /D=folder (which NSIS removes from the parameters) wins over the defaults.
  ${If} $CustomDir != ""
    StrCpy $INSTDIR $CustomDir
    Return
  ${EndIf}
  ${If} $AllUsers == 1
    StrCpy $INSTDIR "$PROGRAMFILES64\${APP_NAME}"
  ${Else}
    StrCpy $INSTDIR "$LOCALAPPDATA\Programs\${APP_NAME}"
  ${EndIf}
FunctionEnd

Function ModePageShow
  ; Only an elevated installer can install for everyone: others never see this page.
  ${If} $IsAdmin != 1
    Abort
  ${EndIf}
  !insertmacro MUI_HEADER_TEXT "Who will use GridCert?" "Install GridCert for yourself or for everyone on this computer."
  nsDialogs::Create 1018
  Pop $0
  ${NSD_CreateRadioButton} 0 10u 100% 12u "Only &me ($LOCALAPPDATA\Programs\${APP_NAME})"
  Pop $RadioMe
  ${NSD_CreateRadioButton} 0 30u 100% 12u "&Everyone on this computer ($PROGRAMFILES64\${APP_NAME})"
  Pop $RadioAll
  ${If} $AllUsers == 1
    ${NSD_Check} $RadioAll
  ${Else}
    ${NSD_Check} $RadioMe
  ${EndIf}
  nsDialogs::Show
FunctionEnd

Function ModePageLeave
  ${NSD_GetState} $RadioAll $0
  ${If} $0 == ${BST_CHECKED}
    StrCpy $AllUsers 1
  ${Else}
    StrCpy $AllUsers 0
  ${EndIf}
  !insertmacro UseMode
  Call ApplyModeDefaults
FunctionEnd

Function DirectoryPre
  !insertmacro UseMode
FunctionEnd

; ---------------------------------------------------------------------------- install

Section "GridCert" SecMain
  SectionIn RO
  !insertmacro UseMode
  SetOutPath "$INSTDIR"
  ; An upgrade replaces the program folder's contents: stale libraries from an older
  ; version must not linger. Only GridCert's own files are removed.
  RMDir /r "$INSTDIR\_internal"
  File "${BUNDLE_DIR}\${GUI_EXE}"
  File "${BUNDLE_DIR}\${CLI_EXE}"
  File /r "${BUNDLE_DIR}\_internal"
  File "/oname=gridcert.ico" "${ICON_FILE}"
  WriteUninstaller "$INSTDIR\Uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${GUI_EXE}" "" "$INSTDIR\${GUI_EXE}" 0 \
    SW_SHOWNORMAL "" "Install, check, renew and move grid-operator certificates"

  ; "Open with GridCert": a ProgID plus OpenWithProgids entries (not the default handler).
  !insertmacro WriteKey "Software\Classes\${PROGID}" "" "Certificate (GridCert)"
  !insertmacro WriteKey "Software\Classes\${PROGID}\DefaultIcon" "" "$INSTDIR\${GUI_EXE},0"
  !insertmacro WriteKey "Software\Classes\${PROGID}\shell\open" "" "Open with GridCert"
  !insertmacro WriteKey "Software\Classes\${PROGID}\shell\open\command" "" '"$INSTDIR\${GUI_EXE}" "%1"'
  !insertmacro WriteKey "Software\Classes\Applications\${GUI_EXE}" "FriendlyAppName" "GridCert"
  !insertmacro WriteKey "Software\Classes\Applications\${GUI_EXE}\shell\open\command" "" '"$INSTDIR\${GUI_EXE}" "%1"'
  !insertmacro OpenWith ".pfx"
  !insertmacro OpenWith ".p12"
  !insertmacro OpenWith ".cer"
  !insertmacro OpenWith ".crt"
  !insertmacro OpenWith ".p7b"
  ; Tell Explorer that file associations changed (SHCNE_ASSOCCHANGED).
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'

  ; Apps & features.
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  ${If} $AllUsers == 1
    StrCpy $3 "/ALLUSERS"
  ${Else}
    StrCpy $3 "/CURRENTUSER"
  ${EndIf}
  !insertmacro WriteKey "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  !insertmacro WriteKey "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  !insertmacro WriteKey "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  !insertmacro WriteKey "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${GUI_EXE},0"
  !insertmacro WriteKey "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  !insertmacro WriteKey "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\Uninstall.exe" $3'
  !insertmacro WriteKey "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\Uninstall.exe" $3 /S'
  !insertmacro WriteDword "${UNINSTALL_KEY}" "EstimatedSize" $0
  !insertmacro WriteDword "${UNINSTALL_KEY}" "NoModify" 1
  !insertmacro WriteDword "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "-Deployment profile" SecProfile
  ${If} $ProfilePath != ""
    DetailPrint "Running the deployment profile $ProfilePath"
    ; The CLI's exit code becomes the installer's: 0 ok, 2 usage, 3 bad input,
    ; 4 a target failed (rolled back), 5 cancelled.
    ClearErrors
    ExecWait '"$INSTDIR\${CLI_EXE}" install --profile "$ProfilePath" --yes' $0
    ${If} ${Errors}
      StrCpy $0 4
    ${EndIf}
    DetailPrint "gridcert install --profile exited with $0"
    SetErrorLevel $0
  ${EndIf}
SectionEnd

; ---------------------------------------------------------------------------- uninstall

Function un.onInit
  StrCpy $AllUsers 0
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/ALLUSERS" $R1
  ${IfNot} ${Errors}
    StrCpy $AllUsers 1
  ${EndIf}
  ; An all-users installation lives in Program Files and HKLM: removing it needs
  ; administrator rights. Apps & features starts the uninstaller without elevation, so
  ; it asks for it (UAC) by starting itself again with the "runas" verb.
  ${If} $AllUsers == 1
    UserInfo::GetAccountType
    Pop $0
    ${If} $0 != "Admin"
      ${If} ${Silent}
        SetErrorLevel ${EXIT_NEEDS_ELEVATION}
        Quit
      ${EndIf}
      ExecShell "runas" "$EXEPATH" $R0
      Quit
    ${EndIf}
  ${EndIf}
  ${If} ${RunningX64}
    SetRegView 64
  ${EndIf}
  ${If} $AllUsers == 1
    SetShellVarContext all
  ${Else}
    SetShellVarContext current
  ${EndIf}
FunctionEnd

Section "Uninstall"
  ; Program files only. Certificates installed into Windows, Firefox or Java stores stay
  ; (removing them is `gridcert remove`/`undo`, a user's decision), and so does GridCert's
  ; data folder with its journal and encrypted backups (%LOCALAPPDATA%\GridCert).
  Delete "$INSTDIR\${GUI_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  Delete "$INSTDIR\gridcert.ico"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\Uninstall.exe"
  RMDir "$INSTDIR"   ; only if empty: never removes anything the user put there
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"

  ${If} $AllUsers == 1
    DeleteRegKey HKLM "Software\Classes\${PROGID}"
    DeleteRegKey HKLM "Software\Classes\Applications\${GUI_EXE}"
    !insertmacro un.OpenWith HKLM ".pfx"
    !insertmacro un.OpenWith HKLM ".p12"
    !insertmacro un.OpenWith HKLM ".cer"
    !insertmacro un.OpenWith HKLM ".crt"
    !insertmacro un.OpenWith HKLM ".p7b"
    DeleteRegKey HKLM "${UNINSTALL_KEY}"
  ${Else}
    DeleteRegKey HKCU "Software\Classes\${PROGID}"
    DeleteRegKey HKCU "Software\Classes\Applications\${GUI_EXE}"
    !insertmacro un.OpenWith HKCU ".pfx"
    !insertmacro un.OpenWith HKCU ".p12"
    !insertmacro un.OpenWith HKCU ".cer"
    !insertmacro un.OpenWith HKCU ".crt"
    !insertmacro un.OpenWith HKCU ".p7b"
    DeleteRegKey HKCU "${UNINSTALL_KEY}"
  ${EndIf}
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd
